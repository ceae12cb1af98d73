package io.sparserandom.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sparserandom.generator.DiskParams;
import io.sparserandom.generator.SparseRandomDisk;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to a usable disk, one shot each: the goals the unit tests used to assert with a clock (which
 * is flaky on a loaded machine).
 *
 * <ul>
 *   <li>{@code createAndReadTheEnd}: create a disk of 1T to 2^63-1 bytes, read 100 KB at its end
 *       and the block status of its last 100 MiB (goal: well under 2 s at every size).
 *   <li>{@code nbdkitModel1T}: create a 1T disk with compat=nbdkit, which scans the whole layout
 *       (goal: under 15 s).
 * </ul>
 *
 * End to end through the command line and nbdinfo: bench/startup.sh.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {
            "--add-modules",
            "jdk.incubator.vector",
            "--add-opens",
            "java.base/java.nio=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true"
        })
public class StartupBenchmark {
    private static final long M = 1L << 20;

    @State(Scope.Benchmark)
    public static class Huge {
        @Param({"1099511627776", "1125899906842624", "4611686018427387904", "9223372036854775807"})
        public long size;

        @Param({"false", "true"})
        public boolean randomContent;
    }

    @Benchmark
    public long createAndReadTheEnd(Huge h) throws Exception {
        SparseRandomDisk d =
                SparseRandomDisk.create(
                        new DiskParams(
                                h.size, 99, 10, 16 * M, h.randomContent, DiskParams.Model.DEFAULT));
        ByteBuf tail = Unpooled.buffer(100_000);
        try {
            d.read(h.size - 100_000, 100_000, tail);
        } finally {
            tail.release();
        }
        long[] seen = {0};
        long from = h.size - 100 * M;
        while (seen[0] < 100 * M) {
            d.extents(
                    from + seen[0],
                    100 * M - seen[0],
                    (len, type) -> {
                        seen[0] = Math.min(100 * M, seen[0] + len);
                        return seen[0] < 100 * M;
                    });
        }
        return seen[0];
    }

    @Benchmark
    public SparseRandomDisk nbdkitModel1T() {
        return SparseRandomDisk.create(DiskParams.defaults(1L << 40, 1, DiskParams.Model.NBDKIT));
    }
}
