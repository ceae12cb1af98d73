package io.sparserandom.verifier;

import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.DeviceException;

/**
 * Whether every accepted write, zero and trim was durable when the clients left (see {@link
 * DurabilityLedger} for the rules).
 *
 * @param recorded whether durability was recorded at all (not with a counters-only ledger)
 * @param provable false when some request can never be proven durable: a set hit its cap, or a
 *     connection's replies were not reported
 * @param undurableRanges separate ranges not durable (writes and zeroes counted apart)
 * @param undurableBytes data bytes written and hole bytes zeroed or trimmed that are not durable (a
 *     lower bound when {@code exact} is false)
 * @param firstOffset where the first range not durable starts, or -1
 * @param exact whether {@code undurableBytes} counts every range (the walk of the disk's runs
 *     inside them has a budget)
 */
public record Durability(
        boolean recorded,
        boolean provable,
        long undurableRanges,
        long undurableBytes,
        long firstOffset,
        boolean exact) {

    /** For a ledger that records no ranges. */
    static final Durability NOT_RECORDED = new Durability(false, false, 0, 0, -1, false);

    /** Every request durable, proven. */
    public boolean durable() {
        return recorded && provable && undurableRanges == 0;
    }

    /** Why not durable, in one line (or null). */
    public String reason(long maxRanges) {
        if (!recorded) {
            return "durability was not recorded (--no-coverage)";
        }
        if (undurableRanges > 0) {
            return (exact ? "" : "at least ")
                    + undurableBytes
                    + " bytes in "
                    + undurableRanges
                    + " range(s) never flushed, first at offset 0x"
                    + Long.toHexString(firstOffset);
        }
        if (!provable) {
            return "more than "
                    + maxRanges
                    + " separate pieces were left unflushed at one time (or replies went"
                    + " unobserved): durability cannot be proven";
        }
        return null;
    }

    /**
     * Sets what the ledger left undurable against the disk's runs: writes count their data bytes,
     * zeroes and trims their hole bytes, at most {@code maxExtents} runs visited.
     */
    static Durability compute(BlockDevice disk, DurabilityLedger ledger, long maxExtents)
            throws DeviceException {
        if (ledger == null) {
            return NOT_RECORDED;
        }
        RangeSet[] left = ledger.undurable();
        long ranges = left[0].size() + left[1].size();
        long size = disk.size();
        long[] bytes = {0};
        long[] budget = {maxExtents};
        long[] first = {Long.MAX_VALUE};
        boolean[] exact = {true};
        for (int i = 0; i < 2; i++) {
            boolean countData = i == 0;
            left[i].forEach(
                    0,
                    size,
                    (a, b) -> {
                        first[0] = Math.min(first[0], a);
                        if (budget[0] <= 0) {
                            exact[0] = false;
                            return false;
                        }
                        try {
                            Verdict.Walked w =
                                    Verdict.walk(
                                            disk,
                                            a,
                                            b,
                                            budget[0],
                                            (s, e, data) -> {
                                                if (data == countData) {
                                                    bytes[0] += e - s;
                                                }
                                            });
                            budget[0] -= w.extents();
                            if (w.end() < b) {
                                exact[0] = false;
                            }
                        } catch (DeviceException e) {
                            exact[0] = false;
                            return false;
                        }
                        return true;
                    });
        }
        boolean provable = !ledger.overflowed() && ledger.unobserved() == 0;
        return new Durability(
                true,
                provable,
                ranges,
                bytes[0],
                ranges == 0 ? -1 : first[0],
                exact[0] && provable);
    }
}
