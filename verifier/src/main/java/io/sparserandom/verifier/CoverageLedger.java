package io.sparserandom.verifier;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the verifying write path saw, across all connections: the ranges written and verified, the
 * ranges zeroed or trimmed (accepted only where the disk reads zeroes), and every rejected request
 * (the first {@link #KEEP_MISMATCHES} in full, the rest counted). Cheap on the write path: one short
 * synchronized merge per accepted request, counters are LongAdders.
 */
public final class CoverageLedger {
    /** Rejected requests kept in full. */
    public static final int KEEP_MISMATCHES = 100;
    /** Default cap on separate ranges per set (a documented limit: about 100 bytes each). */
    public static final int DEFAULT_MAX_RANGES = 1_000_000;

    private final RangeSet written;
    private final RangeSet zeroed;
    private final LongAdder writeRequests = new LongAdder();
    private final LongAdder writeBytes = new LongAdder();
    private final LongAdder zeroRequests = new LongAdder();
    private final LongAdder zeroBytes = new LongAdder();
    private final LongAdder trimRequests = new LongAdder();
    private final LongAdder trimBytes = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final List<Mismatch> mismatches = new ArrayList<>();
    private final boolean tracksRanges;

    public CoverageLedger() {
        this(DEFAULT_MAX_RANGES);
    }

    public CoverageLedger(int maxRanges) {
        this(maxRanges, true);
    }

    private CoverageLedger(int maxRanges, boolean tracksRanges) {
        this.written = new RangeSet(maxRanges);
        this.zeroed = new RangeSet(maxRanges);
        this.tracksRanges = tracksRanges;
    }

    /**
     * A ledger that counts requests and keeps rejections but records no ranges: only for measuring
     * what the range bookkeeping costs (a run with it can never prove completeness).
     */
    public static CoverageLedger countersOnly() {
        return new CoverageLedger(1, false);
    }

    /** False for {@link #countersOnly()}. */
    public boolean tracksRanges() { return tracksRanges; }

    void recordWrite(long offset, long length) {
        writeRequests.increment();
        writeBytes.add(length);
        if (tracksRanges) {
            written.add(offset, length);
        }
    }

    void recordZero(long offset, long length, boolean trim) {
        if (trim) {
            trimRequests.increment();
            trimBytes.add(length);
        } else {
            zeroRequests.increment();
            zeroBytes.add(length);
        }
        if (tracksRanges) {
            zeroed.add(offset, length);
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

    /** Ranges written and verified. */
    public RangeSet written() { return written; }

    /** Ranges zeroed or trimmed (all over zeroes, or they would have been rejected). */
    public RangeSet zeroed() { return zeroed; }

    public long writeRequests() { return writeRequests.sum(); }

    public long writeBytes() { return writeBytes.sum(); }

    public long zeroRequests() { return zeroRequests.sum(); }

    public long zeroBytes() { return zeroBytes.sum(); }

    public long trimRequests() { return trimRequests.sum(); }

    public long trimBytes() { return trimBytes.sum(); }

    /** Every rejected request, including those not kept in full. */
    public long rejectedCount() { return rejected.sum(); }

    /** The first {@link #KEEP_MISMATCHES} rejected requests. */
    public List<Mismatch> mismatches() {
        synchronized (mismatches) {
            return List.copyOf(mismatches);
        }
    }

    public boolean overflowed() { return !tracksRanges || written.overflowed() || zeroed.overflowed(); }
}
