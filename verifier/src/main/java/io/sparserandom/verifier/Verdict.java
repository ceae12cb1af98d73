package io.sparserandom.verifier;

import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.IoFlags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a run: did the tool exit 0, was every write right, was every data byte written
 * back.
 *
 * <p>The first walk sets every run against the ledger, for the statistics (data and hole bytes,
 * verified, zeroed) and the missing data; it stops after {@link #MAX_EXTENTS} runs on a disk with
 * more. Past that point only the gaps of the ledger's data ranges can hold missing data, so a
 * second walk visits just those: a copy made in full leaves none, and is proven complete at any
 * size. The two walks share the budget (the second gets at least a fiftieth of it); where it runs
 * out the missing figures are a lower bound and completeness is not proven.
 *
 * @param toolExitStatus the --run command's exit status, or null in serve mode
 * @param checkComplete whether completeness was required
 * @param diskSize bytes
 * @param walked bytes of the disk the statistics cover (== diskSize unless too many runs)
 * @param dataBytes data bytes expected (in the walked part)
 * @param dataVerified data bytes written back and verified (in the walked part)
 * @param missingBytes data bytes never written back (in the examined part)
 * @param missingRuns separate missing ranges (in the examined part)
 * @param missing the first {@link #KEEP_MISSING} missing ranges, as {start, end}
 * @param examined bytes of the disk searched for missing data (== diskSize unless the ledger's gaps
 *     hold too many runs, or the ledger overflowed: then 0)
 * @param holeBytes hole bytes (in the walked part)
 * @param holeZeroed hole bytes zeroed or trimmed
 * @param holeWritten hole bytes written (with zeroes, or they would have been rejected)
 * @param ledger request counters and rejected requests
 * @param elapsed wall time of the run
 * @param checkDurable whether durability was required
 * @param durability whether every accepted request was durable at the end
 * @param injectedErrors errors the fault options injected, per command name ({@code read}, {@code
 *     write}, ...), commands with none left out; never counted as rejected
 * @param allocatedZero the allocated-zero part of the hole bytes (learned shapes only)
 */
public record Verdict(
        Integer toolExitStatus,
        boolean checkComplete,
        long diskSize,
        long walked,
        long dataBytes,
        long dataVerified,
        long missingBytes,
        long missingRuns,
        List<long[]> missing,
        long examined,
        long holeBytes,
        long holeZeroed,
        long holeWritten,
        CoverageLedger ledger,
        Duration elapsed,
        boolean checkDurable,
        Durability durability,
        Map<String, Long> injectedErrors,
        AllocatedZero allocatedZero) {

    public Verdict {
        injectedErrors = Collections.unmodifiableMap(new LinkedHashMap<>(injectedErrors));
    }

    /** This verdict with the fault options' injected errors, per command name. */
    public Verdict withInjectedErrors(Map<String, Long> injected) {
        return new Verdict(
                toolExitStatus,
                checkComplete,
                diskSize,
                walked,
                dataBytes,
                dataVerified,
                missingBytes,
                missingRuns,
                missing,
                examined,
                holeBytes,
                holeZeroed,
                holeWritten,
                ledger,
                elapsed,
                checkDurable,
                durability,
                injected,
                allocatedZero);
    }

    /** All injected errors. */
    public long injectedTotal() {
        long n = 0;
        for (long c : injectedErrors.values()) {
            n += c;
        }
        return n;
    }

    /**
     * Allocated-zero bytes (block status ZERO without HOLE; counted in the hole bytes too) and what
     * the tool did with them, so that tools that keep allocation can be checked.
     *
     * @param bytes allocated-zero bytes (in the walked part)
     * @param zeroed of them, zeroed or trimmed
     * @param written of them, written (with zeroes)
     * @param leftAlone of them, neither zeroed, trimmed nor written
     */
    public record AllocatedZero(long bytes, long zeroed, long written, long leftAlone) {}

    public static final int KEEP_MISSING = 10;
    public static final long MAX_EXTENTS = 50_000_000L;

    /** Exit statuses, documented in the README. */
    public static final int EXIT_OK = 0;

    public static final int EXIT_REJECTED = 3;
    public static final int EXIT_INCOMPLETE = 4;
    public static final int EXIT_NOT_DURABLE = 5;

    /** Sets {@code disk}'s extents against what the ledger recorded. */
    public static Verdict compute(
            BlockDevice disk,
            CoverageLedger ledger,
            Integer toolExitStatus,
            boolean checkComplete,
            Duration elapsed)
            throws DeviceException {
        return compute(disk, ledger, toolExitStatus, checkComplete, false, elapsed);
    }

    /** As above; {@code checkDurable} makes a copy that is not durable fail (exit 5). */
    public static Verdict compute(
            BlockDevice disk,
            CoverageLedger ledger,
            Integer toolExitStatus,
            boolean checkComplete,
            boolean checkDurable,
            Duration elapsed)
            throws DeviceException {
        long size = disk.size();
        boolean known = !ledger.overflowed();
        Missing missing = new Missing();
        Stats stats = new Stats(ledger, known ? missing : null);
        Walked first = walk(disk, 0, size, MAX_EXTENTS, stats);
        long examined = 0;
        if (known) {
            // Past the statistics walk, only the ledger's gaps can hold missing data. A small
            // budget of its own lets a huge disk that was copied in full still be proven complete.
            examined = size;
            long budget = Math.max(MAX_EXTENTS - first.extents(), MAX_EXTENTS / 50);
            for (long[] gap = ledger.written().firstGap(first.end(), size);
                    gap != null;
                    gap = ledger.written().firstGap(gap[1], size)) {
                Walked w = walk(disk, gap[0], gap[1], budget, missing);
                budget -= w.extents();
                if (w.end() < gap[1]) {
                    examined = w.end();
                    break;
                }
            }
        }
        return new Verdict(
                toolExitStatus,
                checkComplete,
                size,
                first.end(),
                stats.data,
                stats.verified,
                missing.bytes,
                missing.runs,
                List.copyOf(missing.first),
                examined,
                stats.hole,
                stats.zeroed,
                stats.holeWritten,
                ledger,
                elapsed,
                checkDurable,
                Durability.compute(disk, ledger.durability(), MAX_EXTENTS),
                Map.of(),
                new AllocatedZero(
                        stats.zeroBytes, stats.zeroZeroed, stats.zeroWritten, stats.zeroLeft));
    }

    /** Receives the runs of a walk, clipped to it. */
    @FunctionalInterface
    interface RunSink {
        void run(long start, long end, boolean data);

        /** Also called for a run that is allocated zero (after {@link #run}, as not data). */
        default void allocatedZero(long start, long end) {}
    }

    /** Where a walk stopped and how many extents it saw. */
    record Walked(long end, long extents) {}

    /**
     * Walks the extents of [start, end), at most {@code maxExtents} of them. It stops at {@code
     * end}, or earlier when the budget runs out or the device makes no progress.
     */
    static Walked walk(BlockDevice disk, long start, long end, long maxExtents, RunSink sink)
            throws DeviceException {
        long pos = start;
        long[] seen = {0};
        while (pos < end && seen[0] < maxExtents) {
            long[] next = {pos};
            disk.extents(
                    pos,
                    end - pos,
                    (len, type) -> {
                        long a = next[0];
                        long b = Math.min(end, a + Math.max(len, 0));
                        if (b <= a) {
                            return false;
                        }
                        seen[0]++;
                        sink.run(a, b, (type & IoFlags.EXTENT_ZERO) == 0);
                        if (type == IoFlags.EXTENT_ZERO) {
                            sink.allocatedZero(a, b);
                        }
                        next[0] = b;
                        return b < end && seen[0] < maxExtents;
                    });
            if (next[0] <= pos) {
                break; // the device made no progress; do not spin
            }
            pos = next[0];
        }
        return new Walked(pos, seen[0]);
    }

    /** Statistics of the first walk, and the data missing in it (when the ledger knows). */
    private static final class Stats implements RunSink {
        private final CoverageLedger ledger;
        private final Missing missing;
        long data;
        long verified;
        long hole;
        long zeroed;
        long holeWritten;
        long zeroBytes;
        long zeroZeroed;
        long zeroWritten;
        long zeroLeft;

        Stats(CoverageLedger ledger, Missing missing) {
            this.ledger = ledger;
            this.missing = missing;
        }

        @Override
        public void run(long a, long b, boolean isData) {
            if (isData) {
                data += b - a;
                verified += ledger.written().coveredBytes(a, b);
                if (missing != null) {
                    ledger.written()
                            .forEachGap(
                                    a,
                                    b,
                                    (g0, g1) -> {
                                        missing.run(g0, g1, true);
                                        return true;
                                    });
                }
            } else {
                hole += b - a;
                zeroed += ledger.zeroed().coveredBytes(a, b);
                holeWritten += ledger.holeWrites().coveredBytes(a, b);
            }
        }

        @Override
        public void allocatedZero(long a, long b) {
            zeroBytes += b - a;
            long z = ledger.zeroed().coveredBytes(a, b);
            zeroZeroed += z;
            zeroWritten += ledger.holeWrites().coveredBytes(a, b);
            long[] touched = {z};
            ledger.zeroed()
                    .forEachGap(
                            a,
                            b,
                            (g0, g1) -> {
                                touched[0] += ledger.holeWrites().coveredBytes(g0, g1);
                                return true;
                            });
            zeroLeft += (b - a) - touched[0];
        }
    }

    /** Data found in the ledger's gaps; adjacent pieces make one range. */
    private static final class Missing implements RunSink {
        final List<long[]> first = new ArrayList<>();
        long bytes;
        long runs;
        long lastEnd = -1;

        @Override
        public void run(long a, long b, boolean data) {
            if (!data) {
                return;
            }
            bytes += b - a;
            if (a == lastEnd) {
                long[] last = first.get(first.size() - 1);
                if (last[1] == a) {
                    last[1] = b;
                }
            } else {
                runs++;
                if (first.size() < KEEP_MISSING) {
                    first.add(new long[] {a, b});
                }
            }
            lastEnd = b;
        }
    }

    /** Did the tool exit 0? (Always true in serve mode.) */
    public boolean toolSucceeded() {
        return toolExitStatus == null || toolExitStatus == 0;
    }

    public boolean noRejects() {
        return ledger.rejectedCount() == 0;
    }

    /** Every data byte written back and verified, proven over the whole disk. */
    public boolean complete() {
        return !ledger.overflowed() && examined == diskSize && missingBytes == 0;
    }

    /** Every accepted write, zero and trim was durable when the clients left, proven. */
    public boolean durable() {
        return durability.durable();
    }

    /** Why durability failed, in one line (or null). */
    public String undurableReason() {
        return durability.reason(ledger.maxRanges());
    }

    /** Whether the missing figures cover the whole disk (otherwise they are a lower bound). */
    public boolean missingExact() {
        return !ledger.overflowed() && examined == diskSize;
    }

    /** The process exit status for this verdict. */
    public int exitStatus() {
        if (!toolSucceeded()) {
            return toolExitStatus;
        }
        if (!noRejects()) {
            return EXIT_REJECTED;
        }
        if (checkComplete && !complete()) {
            return EXIT_INCOMPLETE;
        }
        if (checkDurable && !durable()) {
            return EXIT_NOT_DURABLE;
        }
        return EXIT_OK;
    }

    public boolean passed() {
        return exitStatus() == EXIT_OK;
    }

    /** Why completeness failed, in one line (or null). */
    public String incompleteReason() {
        if (!ledger.tracksRanges()) {
            return "coverage was not recorded (--no-coverage), completeness cannot be proven";
        }
        if (ledger.overflowed()) {
            return "more than "
                    + ledger.maxRanges()
                    + " separate pieces of data were left unwritten at one"
                    + " time (the coverage ledger's cap), completeness cannot be proven";
        }
        if (missingBytes > 0) {
            long[] first = missing.get(0);
            return (missingExact() ? "" : "at least ")
                    + missingBytes
                    + " data bytes in "
                    + missingRuns
                    + " range(s) never written, first at offset 0x"
                    + Long.toHexString(first[0])
                    + " ("
                    + (first[1] - first[0])
                    + " bytes)";
        }
        if (examined < diskSize) {
            return "the unwritten parts of the disk hold more than "
                    + MAX_EXTENTS
                    + " runs; only the first "
                    + examined
                    + " bytes were searched for missing data";
        }
        return null;
    }
}
