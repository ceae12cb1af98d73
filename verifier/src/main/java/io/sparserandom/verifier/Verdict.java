package io.sparserandom.verifier;

import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.IoFlags;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a run: did the tool exit 0, was every write right, was every data byte written
 * back. Computed by walking the disk's extents against the ledger, so it costs time in proportion
 * to the number of runs on the disk (bounded by {@link #MAX_EXTENTS}; a larger disk is reported as
 * not fully walked and cannot pass --check-complete).
 *
 * @param toolExitStatus   the --run command's exit status, or null in serve mode
 * @param checkComplete    whether completeness was required
 * @param diskSize         bytes
 * @param walked           bytes of the disk whose layout was compared (== diskSize unless too many runs)
 * @param dataBytes        data bytes expected (in the walked part)
 * @param dataVerified     data bytes written back and verified
 * @param missingBytes     data bytes never written back
 * @param missingRuns      separate missing ranges
 * @param missing          the first {@link #KEEP_MISSING} missing ranges, as {start, end}
 * @param holeBytes        hole bytes
 * @param holeZeroed       hole bytes zeroed or trimmed
 * @param holeWritten      hole bytes written (with zeroes, or they would have been rejected)
 * @param ledger           request counters and rejected requests
 * @param elapsed          wall time of the run
 */
public record Verdict(Integer toolExitStatus, boolean checkComplete, long diskSize, long walked,
                      long dataBytes, long dataVerified, long missingBytes, long missingRuns,
                      List<long[]> missing, long holeBytes, long holeZeroed, long holeWritten,
                      CoverageLedger ledger, Duration elapsed) {

    public static final int KEEP_MISSING = 10;
    public static final long MAX_EXTENTS = 50_000_000L;

    /** Exit statuses, documented in the README. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_REJECTED = 3;
    public static final int EXIT_INCOMPLETE = 4;

    /** Walks {@code disk}'s extents and sets them against what the ledger recorded. */
    public static Verdict compute(BlockDevice disk, CoverageLedger ledger, Integer toolExitStatus,
                                  boolean checkComplete, Duration elapsed) throws DeviceException {
        long size = disk.size();
        // data, verified, missingBytes, missingRuns, hole, zeroed, written, extents, end of last gap
        long[] acc = new long[9];
        acc[8] = -1;
        List<long[]> missing = new ArrayList<>();
        long pos = 0;
        while (pos < size && acc[7] < MAX_EXTENTS) {
            final long start = pos;
            long[] next = {pos};
            disk.extents(pos, size - pos, (len, type) -> {
                long a = next[0];
                long b = Math.min(size, a + len);
                if (b <= a) {
                    return false;
                }
                acc[7]++;
                if ((type & IoFlags.EXTENT_HOLE) != 0 || (type & IoFlags.EXTENT_ZERO) != 0) {
                    acc[4] += b - a;
                    acc[5] += ledger.zeroed().coveredBytes(a, b);
                    acc[6] += ledger.written().coveredBytes(a, b);
                } else {
                    acc[0] += b - a;
                    acc[1] += ledger.written().coveredBytes(a, b);
                    for (long[] gap : ledger.written().gaps(a, b)) {
                        // A gap that continues the previous one (across data extents) is the same run.
                        if (acc[8] == gap[0]) {
                            long[] last = missing.get(missing.size() - 1);
                            if (last[1] == gap[0]) {
                                last[1] = gap[1];
                            }
                        } else {
                            acc[3]++;
                            if (missing.size() < KEEP_MISSING) {
                                missing.add(new long[] {gap[0], gap[1]});
                            }
                        }
                        acc[8] = gap[1];
                        acc[2] += gap[1] - gap[0];
                    }
                }
                next[0] = b;
                return acc[7] < MAX_EXTENTS;
            });
            if (next[0] <= start) {
                break; // the device made no progress; do not spin
            }
            pos = next[0];
        }
        return new Verdict(toolExitStatus, checkComplete, size, pos, acc[0], acc[1], acc[2], acc[3],
                List.copyOf(missing), acc[4], acc[5], acc[6], ledger, elapsed);
    }

    /** Did the tool exit 0? (Always true in serve mode.) */
    public boolean toolSucceeded() { return toolExitStatus == null || toolExitStatus == 0; }

    public boolean noRejects() { return ledger.rejectedCount() == 0; }

    /** Every data byte written back and verified, and we could see it all. */
    public boolean complete() {
        return walked == diskSize && missingBytes == 0 && !ledger.overflowed();
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
        return EXIT_OK;
    }

    public boolean passed() { return exitStatus() == EXIT_OK; }

    /** Why completeness failed, in one line (or null). */
    public String incompleteReason() {
        if (!ledger.tracksRanges()) {
            return "coverage was not recorded (--no-coverage), completeness cannot be proven";
        }
        if (ledger.overflowed()) {
            return "the coverage ledger overflowed (more than " + ledger.written().maxRanges()
                    + " separate written ranges), completeness cannot be proven";
        }
        if (walked < diskSize) {
            return "the disk has more than " + MAX_EXTENTS + " runs; only the first " + walked
                    + " bytes were checked";
        }
        if (missingBytes > 0) {
            long[] first = missing.get(0);
            return missingBytes + " data bytes in " + missingRuns + " range(s) never written, first at offset 0x"
                    + Long.toHexString(first[0]) + " (" + (first[1] - first[0]) + " bytes)";
        }
        return null;
    }
}
