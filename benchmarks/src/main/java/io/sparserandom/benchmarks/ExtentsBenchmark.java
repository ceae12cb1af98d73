package io.sparserandom.benchmarks;

import io.sparserandom.device.DeviceException;
import io.sparserandom.generator.DiskParams;
import io.sparserandom.generator.SparseRandomDisk;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Answering block status: the extents of a 2 GiB range at a random place of a 1T (or 4E) disk. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExtentsBenchmark {
    @Param({"1099511627776", "4611686018427387904"})
    public long size;

    private SparseRandomDisk disk;
    private final SplittableRandom random = new SplittableRandom(1);

    @Setup
    public void setUp() {
        disk =
                SparseRandomDisk.create(
                        new DiskParams(size, 1, 10, 16 << 20, false, DiskParams.Model.DEFAULT));
    }

    @Benchmark
    public long blockStatus2G() throws DeviceException {
        long offset = random.nextLong(size - (2L << 30)) & ~4095L;
        long[] acc = new long[1];
        disk.extents(
                offset,
                2L << 30,
                (len, type) -> {
                    acc[0] += len;
                    return acc[0] < (2L << 30);
                });
        return acc[0];
    }
}
