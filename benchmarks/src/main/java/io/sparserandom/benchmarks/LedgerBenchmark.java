package io.sparserandom.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.Capabilities;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.ExpectedContent;
import io.sparserandom.device.IoFlags;
import io.sparserandom.verifier.Verifier;
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

/**
 * The verifying write path's bookkeeping: one verified write per data run of a disk with {@code
 * runs} data runs, in sequential order, as four interleaved streams (four copy workers each on its
 * own quarter), or in a random order. The content check is a no-op here so that the figure is the
 * ledger's (and the run lookup's) cost: ranges recorded per second. When every run was written the
 * ledger starts again. Random order on 10^8 runs leaves more separate pieces than the ledger's cap,
 * so it measures the capped state (dropped additions cost the same lookup).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LedgerBenchmark {
    @Param({"1000", "1000000", "100000000"})
    public long runs;

    @Param({"sequential", "streams", "random"})
    public String order;

    /** A hole then a data run, 32 KiB each, repeated. */
    private static final long HALF = 32 << 10;

    private BlockDevice disk;
    private BlockDevice connection;
    private ByteBuf payload;
    private long next;
    private long mask;

    /** Indexes per pass: runAt maps [0, period) onto every run once (and some to -1). */
    private long period;

    @Setup
    public void setUp() {
        disk = new PatternDisk(runs * 2 * HALF);
        payload = Unpooled.directBuffer((int) HALF).writeZero((int) HALF);
        mask = Long.highestOneBit(runs) == runs ? runs - 1 : Long.highestOneBit(runs) * 2 - 1;
        period =
                switch (order) {
                    case "sequential" -> runs;
                    case "streams" -> 4 * ((runs + 3) / 4);
                    default -> mask + 1;
                };
        restart();
    }

    private void restart() {
        connection = new Verifier(disk).forConnection(1);
        next = 0;
    }

    /** The i-th run to write, a bijection of [0, runs) for each order. */
    private long runAt(long i) {
        return switch (order) {
            case "sequential" -> i;
            case "streams" -> {
                long quarter = (runs + 3) / 4;
                long r = (i % 4) * quarter + i / 4;
                yield r < runs ? r : -1;
            }
            default -> {
                // An odd multiplier permutes [0, 2^k); indexes past the end are skipped.
                long p = (i * 0x9E3779B97F4A7C15L) & mask;
                yield p < runs ? p : -1;
            }
        };
    }

    @Benchmark
    public long recordOneRun() throws DeviceException {
        long run;
        do {
            if (next >= period) {
                restart();
            }
            run = runAt(next++);
        } while (run < 0);
        connection.write(run * 2 * HALF + HALF, payload, 0);
        return run;
    }

    /** Holes and data runs of 32 KiB, alternating; every write is taken as right. */
    private static final class PatternDisk implements BlockDevice, ExpectedContent {
        private final long size;

        PatternDisk(long size) {
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.all();
        }

        @Override
        public void read(long offset, int length, ByteBuf dst) {
            dst.writeZero(length);
        }

        @Override
        public void write(long offset, ByteBuf data, int flags) {}

        @Override
        public void zero(long offset, long length, int flags) {}

        @Override
        public void trim(long offset, long length, int flags) {}

        @Override
        public void flush(int flags) {}

        @Override
        public void extents(long offset, long length, ExtentSink sink) {
            long end = Math.min(size, offset + length);
            long pos = offset;
            while (pos < end) {
                long runEnd = Math.min(size, (pos / HALF + 1) * HALF);
                boolean data = (pos / HALF) % 2 == 1;
                if (!sink.extent(
                        runEnd - pos, data ? 0 : IoFlags.EXTENT_HOLE | IoFlags.EXTENT_ZERO)) {
                    return;
                }
                pos = runEnd;
            }
        }

        @Override
        public long mismatch(long offset, ByteBuf data) {
            return MATCH;
        }

        @Override
        public String describeExpected(long offset, int length) {
            return "anything";
        }
    }
}
