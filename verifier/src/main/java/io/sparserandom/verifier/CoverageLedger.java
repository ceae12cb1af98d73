package io.sparserandom.verifier;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the verifying write path saw, across all connections: where data was written and verified,
 * where zeroes were written over holes, and every rejected request (the first {@link
 * #KEEP_MISMATCHES} in full, the rest counted).
 *
 * <p>Completeness only concerns data bytes, so the ranges are kept in <em>data coordinates</em>: a
 * write that ends where a hole begins is recorded as reaching the end of that hole. A copy that
 * writes every data run then collapses to one range whatever the number of runs and whatever the
 * order of its requests; only data not yet written keeps ranges apart. Zeroes are kept the other
 * way round (a zero range that ends where data begins reaches the end of that data), so zeroing
 * every hole collapses too. The {@link VerifyingDevice} decides how far a request reaches, since it
 * knows the disk's runs.
 *
 * <p>Each set holds at most {@code maxRanges} separate ranges (16 to about 40 bytes each, see
 * {@link RangeSet}); past that an isolated range is dropped and {@link #overflowed()} says that
 * completeness can no longer be proven. A copy tool reaches that only by leaving more than that
 * many separate pieces of data unwritten at one time.
 */
public final class CoverageLedger {
    /** Rejected requests kept in full. */
    public static final int KEEP_MISMATCHES = 100;

    /**
     * Default cap on separate ranges per set: about 24 MiB per set when reached (measured in random
     * order). The three coverage sets and the two durable ones then fit the launcher's 160 MiB
     * heap, which is capped that low so hostile clients cannot push the server past 300 MiB
     * resident.
     */
    public static final int DEFAULT_MAX_RANGES = 1_000_000;

    private final RangeSet written;
    private final RangeSet zeroed;
    private final RangeSet holeWrites;
    private final LongAdder writeRequests = new LongAdder();
    private final LongAdder writeBytes = new LongAdder();
    private final LongAdder zeroRequests = new LongAdder();
    private final LongAdder zeroBytes = new LongAdder();
    private final LongAdder trimRequests = new LongAdder();
    private final LongAdder trimBytes = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final List<Mismatch> mismatches = new ArrayList<>();
    private final boolean tracksRanges;
    private final DurabilityLedger durability;

    public CoverageLedger() {
        this(DEFAULT_MAX_RANGES);
    }

    public CoverageLedger(int maxRanges) {
        this(maxRanges, true);
    }

    private CoverageLedger(int maxRanges, boolean tracksRanges) {
        this.written = new RangeSet(maxRanges);
        this.zeroed = new RangeSet(maxRanges);
        this.holeWrites = new RangeSet(maxRanges);
        this.tracksRanges = tracksRanges;
        this.durability = tracksRanges ? new DurabilityLedger(maxRanges) : null;
    }

    /**
     * A ledger that counts requests and keeps rejections but records no ranges: only for measuring
     * what the range bookkeeping costs (a run with it can never prove completeness).
     */
    public static CoverageLedger countersOnly() {
        return new CoverageLedger(1, false);
    }

    /** False for {@link #countersOnly()}. */
    public boolean tracksRanges() {
        return tracksRanges;
    }

    /**
     * A verified write of [offset, offset + length).
     *
     * @param reach where the write counts up to in data coordinates: at least its end, further when
     *     the disk holds no data from its end up to there
     * @param overHoles whether some of its bytes lie where the disk has no data
     */
    void recordWrite(long offset, long length, long reach, boolean overHoles) {
        writeRequests.increment();
        writeBytes.add(length);
        if (tracksRanges) {
            written.addRange(offset, Math.max(reach, offset + length));
            if (overHoles) {
                holeWrites.add(offset, length);
            }
        }
    }

    /**
     * An accepted zero or trim of [offset, offset + length).
     *
     * @param reach where it counts up to in hole coordinates: at least its end, further when the
     *     disk holds only data from its end up to there
     */
    void recordZero(long offset, long length, long reach, boolean trim) {
        if (trim) {
            trimRequests.increment();
            trimBytes.add(length);
        } else {
            zeroRequests.increment();
            zeroBytes.add(length);
        }
        if (tracksRanges) {
            zeroed.addRange(offset, Math.max(reach, offset + length));
        }
    }

    void recordRejected(Mismatch m) {
        rejected.increment();
        synchronized (mismatches) {
            if (mismatches.size() < KEEP_MISMATCHES) {
                mismatches.add(m);
            }
        }
    }

    /** Which accepted requests are durable; null for {@link #countersOnly()}. */
    public DurabilityLedger durability() {
        return durability;
    }

    /** Data written and verified, in data coordinates (reaching over the holes that follow). */
    public RangeSet written() {
        return written;
    }

    /** Zeroed or trimmed, in hole coordinates (reaching over the data that follows). */
    public RangeSet zeroed() {
        return zeroed;
    }

    /** Writes that covered some hole bytes, as they were (with zeroes, or they were rejected). */
    public RangeSet holeWrites() {
        return holeWrites;
    }

    public long writeRequests() {
        return writeRequests.sum();
    }

    public long writeBytes() {
        return writeBytes.sum();
    }

    public long zeroRequests() {
        return zeroRequests.sum();
    }

    public long zeroBytes() {
        return zeroBytes.sum();
    }

    public long trimRequests() {
        return trimRequests.sum();
    }

    public long trimBytes() {
        return trimBytes.sum();
    }

    /** Every rejected request, including those not kept in full. */
    public long rejectedCount() {
        return rejected.sum();
    }

    /** The first {@link #KEEP_MISMATCHES} rejected requests. */
    public List<Mismatch> mismatches() {
        synchronized (mismatches) {
            return List.copyOf(mismatches);
        }
    }

    /** Cap on separate ranges per set. */
    public long maxRanges() {
        return written.maxRanges();
    }

    /** Whether the data ranges ever hit the cap (so completeness cannot be proven). */
    public boolean overflowed() {
        return !tracksRanges || written.overflowed();
    }

    /**
     * Whether the statistics of holes zeroed or written are a lower bound (their sets hit the cap).
     */
    public boolean holeStatsPartial() {
        return zeroed.overflowed() || holeWrites.overflowed();
    }
}
