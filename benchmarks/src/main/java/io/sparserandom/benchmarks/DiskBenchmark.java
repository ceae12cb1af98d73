package io.sparserandom.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.sparserandom.disk.DiskParams;
import io.sparserandom.disk.SparseRandomDisk;
import io.sparserandom.server.DeviceException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The generator's hot paths, per 256 KiB request inside a data run (what nbdcopy asks for):
 * filling a read buffer and comparing a written buffer, in both content modes and both models;
 * and answering block status over a large range. Throughput in requests per second; multiply by
 * 256 KiB for bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.nio=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true"})
public class DiskBenchmark {
    private static final int REQUEST = 256 * 1024;

    @Param({"false", "true"})
    public boolean randomContent;

    @Param({"DEFAULT", "NBDKIT"})
    public String model;

    private SparseRandomDisk disk;
    private ByteBuf buf;
    private ByteBuf written;
    private long dataOffset;

    @Setup(Level.Trial)
    public void setUp() throws DeviceException {
        // percent=100 so every request is data; 64G keeps compat start-up short.
        disk = SparseRandomDisk.create(new DiskParams(64L << 30, 1, 100, 16 << 20, randomContent,
                DiskParams.Model.valueOf(model)));
        dataOffset = 12345L * 4096;
        buf = PooledByteBufAllocator.DEFAULT.directBuffer(REQUEST);
        written = PooledByteBufAllocator.DEFAULT.directBuffer(REQUEST);
        disk.read(dataOffset, REQUEST, written);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        buf.release();
        written.release();
    }

    @Benchmark
    public ByteBuf fillReadBuffer() throws DeviceException {
        buf.clear();
        disk.read(dataOffset, REQUEST, buf);
        return buf;
    }

    @Benchmark
    public long compareWrittenBuffer() {
        return disk.mismatch(dataOffset, written);
    }
}
