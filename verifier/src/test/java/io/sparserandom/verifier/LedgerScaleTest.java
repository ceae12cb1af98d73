package io.sparserandom.verifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sparserandom.device.BlockDevice;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger at scale: a disk of a million data runs written in random order with requests of 4 KiB
 * to 2 MiB over four connections must verify complete, with the ledger collapsed; a copy that skips
 * runs is reported with exactly those runs; a ledger over its cap never claims data is missing.
 */
class LedgerScaleTest {
    private static final int DATA_RUNS = 1_000_000;
    private static RunsDisk disk;

    /** Every write of a full copy as {offset, length} pairs, in random order. */
    private static long[] writes;

    private static int writeCount;

    @BeforeAll
    static void makeDisk() {
        Random r = new Random(42);
        long[] starts = new long[2 * DATA_RUNS];
        long pos = 0;
        for (int i = 0; i < starts.length; i++) {
            starts[i] = pos;
            pos += 512L * (8 + r.nextInt(120)); // 4 KiB to 64 KiB, hole and data alike
        }
        disk = new RunsDisk(pos, starts, false, false);
        // Each data run in pieces of 4 KiB to 2 MiB; one piece in ten starts inside the hole before
        // it, as a tool that writes the zeroes of a short hole along with the data would.
        long[] w = new long[8 * DATA_RUNS];
        int n = 0;
        for (int run = 1; run < starts.length; run += 2) {
            long a = disk.runStart(run);
            long end = disk.runEnd(run);
            if (r.nextInt(10) == 0) {
                a -= 512L * (1 + r.nextInt(8));
            }
            while (a < end) {
                long len = Math.min(end - a, 4096L + r.nextInt(2 << 20));
                w[2 * n] = a;
                w[2 * n + 1] = len;
                n++;
                a += len;
            }
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long a = w[2 * i];
            long b = w[2 * i + 1];
            w[2 * i] = w[2 * j];
            w[2 * i + 1] = w[2 * j + 1];
            w[2 * j] = a;
            w[2 * j + 1] = b;
        }
        writes = w;
        writeCount = n;
    }

    /** Writes every piece but those inside the data runs {@code skip} says to leave out. */
    private static long copy(Verifier v, java.util.function.IntPredicate skipRun) throws Exception {
        BlockDevice[] conns = {
            v.forConnection(1), v.forConnection(2), v.forConnection(3), v.forConnection(4)
        };
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[(2 << 20) + 4096]);
        long peak = 0;
        for (int i = 0; i < writeCount; i++) {
            long a = writes[2 * i];
            int len = (int) writes[2 * i + 1];
            int run = disk.runOf(a + len - 1);
            if (skipRun.test(run)) {
                continue;
            }
            conns[i & 3].write(a, payload.slice(0, len), 0);
            if ((i & 1023) == 0) {
                peak = Math.max(peak, v.ledger().written().size());
            }
        }
        return peak;
    }

    @Test
    void aMillionRunsInRandomOrderVerifyComplete() throws Exception {
        Verifier v = new Verifier(disk);
        long peak = copy(v, run -> false);
        Verdict verdict = Verdict.compute(disk, v.ledger(), 0, true, Duration.ZERO);
        assertTrue(verdict.complete(), verdict.incompleteReason());
        assertEquals(0, verdict.exitStatus());
        assertEquals(0, verdict.missingBytes());
        assertEquals(verdict.dataBytes(), verdict.dataVerified());
        assertEquals(disk.size(), verdict.walked());
        // Written in full, the data collapses to one range (it starts after the first hole).
        assertEquals(1, v.ledger().written().size());
        assertTrue(peak < v.ledger().maxRanges(), "peak " + peak);
    }

    @Test
    void runsSkippedByACopyAreReportedExactly() throws Exception {
        Verifier v = new Verifier(disk);
        // One data run in 100,000 (run indexes are odd for data: data run k is run 2k+1).
        copy(v, run -> run % 2 == 1 && (run / 2) % 100_000 == 777);
        Verdict verdict = Verdict.compute(disk, v.ledger(), 0, true, Duration.ZERO);
        assertFalse(verdict.complete());
        assertEquals(Verdict.EXIT_INCOMPLETE, verdict.exitStatus());
        assertTrue(verdict.missingExact());
        assertEquals(DATA_RUNS / 100_000, verdict.missingRuns());
        long bytes = 0;
        int k = 0;
        for (int dataRun = 777; dataRun < DATA_RUNS; dataRun += 100_000) {
            int run = 2 * dataRun + 1;
            long[] expected = {disk.runStart(run), disk.runEnd(run)};
            assertArrayEquals(expected, verdict.missing().get(k++), "missing range " + k);
            bytes += expected[1] - expected[0];
        }
        assertEquals(bytes, verdict.missingBytes());
        assertEquals(verdict.dataBytes() - bytes, verdict.dataVerified());
    }

    @Test
    void aLedgerOverItsCapNeverReportsFalseMissingData() throws Exception {
        Verifier v = new Verifier(disk, new CoverageLedger(1000));
        copy(v, run -> false); // a complete copy, in an order that leaves many pieces apart
        Verdict verdict = Verdict.compute(disk, v.ledger(), 0, true, Duration.ZERO);
        assertTrue(v.ledger().overflowed());
        assertFalse(verdict.complete());
        assertFalse(verdict.missingExact());
        assertEquals(0, verdict.missingBytes(), "nothing is claimed missing");
        assertEquals(Verdict.EXIT_INCOMPLETE, verdict.exitStatus());
        assertTrue(verdict.incompleteReason().contains("1000"), verdict.incompleteReason());
        assertTrue(
                VerdictWriter.summary(verdict).contains("missing data:         unknown"),
                VerdictWriter.summary(verdict));
    }
}
