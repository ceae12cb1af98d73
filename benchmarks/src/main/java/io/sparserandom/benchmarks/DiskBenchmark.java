package io.sparserandom.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.sparserandom.device.DeviceException;
import io.sparserandom.generator.DiskParams;
import io.sparserandom.generator.SparseRandomDisk;
import java.util.concurrent.TimeUnit;
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

/**
 * The generator's hot paths, per 256 KiB request inside a data run (what nbdcopy asks for), in both
 * content modes and both models. Throughput in requests per second; multiply by 256 KiB for bytes.
 *
 * <ul>
 *   <li>{@code fillReadBuffer}: generating a read into a buffer; the offset walks through 1 GiB so
 *       random content is generated, never found among the recently generated blocks.
 *   <li>{@code readBuffer}: what the server calls: for repeated-byte content a composite of shared
 *       blocks (nothing filled), for random content the same as fillReadBuffer.
 *   <li>{@code compareWrittenBuffer}: verifying a correct 256 KiB write; for random content the
 *       same request each time, so the expected bytes come from the recently generated blocks.
 *   <li>{@code readThenVerify}: a self-copy's work for one request: generate a read, then verify
 *       the same bytes written back.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {
            "--add-modules",
            "jdk.incubator.vector",
            "--add-opens",
            "java.base/java.nio=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true"
        })
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
        disk =
                SparseRandomDisk.create(
                        new DiskParams(
                                64L << 30,
                                1,
                                100,
                                16 << 20,
                                randomContent,
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

    private static final long WALK = 1L << 30;
    private long walk;

    private long nextOffset() {
        walk = (walk + REQUEST) % WALK;
        return dataOffset + walk;
    }

    @Benchmark
    public ByteBuf fillReadBuffer() throws DeviceException {
        buf.clear();
        disk.read(nextOffset(), REQUEST, buf);
        return buf;
    }

    @Benchmark
    public int readBuffer() throws DeviceException {
        ByteBuf b = disk.readBuffer(nextOffset(), REQUEST, PooledByteBufAllocator.DEFAULT);
        int n = b.readableBytes();
        b.release();
        return n;
    }

    @Benchmark
    public long readThenVerify() throws DeviceException {
        long off = nextOffset();
        buf.clear();
        disk.read(off, REQUEST, buf);
        return disk.mismatch(off, buf);
    }

    @Benchmark
    public long compareWrittenBuffer() {
        return disk.mismatch(dataOffset, written);
    }
}
