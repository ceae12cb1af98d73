package io.sparserandom.verifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of disjoint half-open byte ranges [start, end); adding merges overlapping and adjacent
 * ranges, so a sequential or multi-connection copy leaves a handful of entries whatever the disk
 * size. Memory grows with the number of separate ranges, which is capped: past {@code maxRanges}
 * the set stops growing and reports {@link #overflowed()} (a pathological writer; the verdict then
 * says it cannot prove completeness). Thread-safe.
 */
public final class RangeSet {
    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    private final int maxRanges;
    private boolean overflowed;
    private long totalBytes;

    public RangeSet(int maxRanges) {
        this.maxRanges = maxRanges;
    }

    /** Adds [start, start + length). */
    public synchronized void add(long start, long length) {
        if (length <= 0) {
            return;
        }
        long end = start + length;
        Map.Entry<Long, Long> before = ranges.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            if (before.getValue() >= end) {
                return; // already covered
            }
            start = before.getKey();
            totalBytes -= before.getValue() - before.getKey();
            ranges.remove(before.getKey());
        }
        // Swallow every range that starts inside or right at the end of [start, end].
        Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
        while (next != null && next.getKey() <= end) {
            end = Math.max(end, next.getValue());
            totalBytes -= next.getValue() - next.getKey();
            ranges.remove(next.getKey());
            next = ranges.ceilingEntry(start);
        }
        if (ranges.size() >= maxRanges) {
            overflowed = true;
            // Keep what we knew; the new range is lost, and the verdict will say so.
            return;
        }
        ranges.put(start, end);
        totalBytes += end - start;
    }

    /** Bytes of [start, end) covered by the set. */
    public synchronized long coveredBytes(long start, long end) {
        long covered = 0;
        Map.Entry<Long, Long> e = ranges.floorEntry(start);
        if (e == null || e.getValue() <= start) {
            e = ranges.higherEntry(start);
        }
        while (e != null && e.getKey() < end) {
            covered += Math.min(end, e.getValue()) - Math.max(start, e.getKey());
            e = ranges.higherEntry(e.getKey());
        }
        return covered;
    }

    /** The gaps of [start, end) not covered by the set, in order. */
    public synchronized List<long[]> gaps(long start, long end) {
        List<long[]> gaps = new ArrayList<>();
        long pos = start;
        Map.Entry<Long, Long> e = ranges.floorEntry(start);
        if (e == null || e.getValue() <= start) {
            e = ranges.higherEntry(start);
        }
        while (e != null && e.getKey() < end) {
            if (e.getKey() > pos) {
                gaps.add(new long[] {pos, e.getKey()});
            }
            pos = Math.max(pos, e.getValue());
            e = ranges.higherEntry(e.getKey());
        }
        if (pos < end) {
            gaps.add(new long[] {pos, end});
        }
        return gaps;
    }

    public synchronized int size() { return ranges.size(); }

    public synchronized long totalBytes() { return totalBytes; }

    public synchronized boolean overflowed() { return overflowed; }

    public int maxRanges() { return maxRanges; }
}
