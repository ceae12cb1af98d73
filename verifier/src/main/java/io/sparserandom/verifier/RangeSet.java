package io.sparserandom.verifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of disjoint half-open byte ranges [start, end); adding merges overlapping and adjacent
 * ranges. Thread-safe.
 *
 * <p>Ranges are kept sorted in chunks of at most {@link #CHUNK} ranges, each chunk a pair of
 * primitive arrays, and the chunks in a tree keyed by their first start. Chunks split in halves and
 * sparse ones join a neighbour, so a range costs 16 to about 40 bytes (a boxed tree entry per range
 * would cost about 80, and the collector would walk every one). Adding costs O(log(n / CHUNK) +
 * CHUNK) plus the ranges it swallows, whatever was added before; queries cost O(log(n / CHUNK))
 * plus the ranges they visit.
 *
 * <p>The number of separate ranges is capped at {@code maxRanges}: an addition that would need one
 * more is dropped and {@link #overflowed()} turns true, so a caller can say that the set no longer
 * knows everything that was added. An addition that merges with what is there is never dropped.
 */
public final class RangeSet {
    /** Ranges per chunk: small enough that shifting within a chunk is cheap. */
    static final int CHUNK = 64;

    /** A chunk this empty is merged into its successor when they fit in one. */
    private static final int SPARSE = CHUNK / 4;

    private final TreeMap<Long, Chunk> chunks = new TreeMap<>();
    private final long maxRanges;
    private long count;
    private long totalBytes;
    private boolean overflowed;

    public RangeSet(long maxRanges) {
        if (maxRanges < 1) {
            throw new IllegalArgumentException("maxRanges must be at least 1: " + maxRanges);
        }
        this.maxRanges = maxRanges;
    }

    /** Receives ranges in order; return false to stop. */
    @FunctionalInterface
    public interface RangeSink {
        boolean range(long start, long end);
    }

    /**
     * Adds [start, start + length).
     *
     * @return false if the range was dropped because the set is at its cap
     */
    public boolean add(long start, long length) {
        if (length <= 0) {
            return true;
        }
        return addRange(start, start + length);
    }

    /** Adds [start, end); see {@link #add}. */
    public synchronized boolean addRange(long start, long end) {
        if (end <= start) {
            return true;
        }
        // The first range that could touch [start, end]: the first one ending at or after start.
        Map.Entry<Long, Chunk> entry = chunks.floorEntry(start);
        if (entry == null) {
            entry = chunks.firstEntry();
        }
        if (entry == null) {
            if (!roomForOneMore()) {
                return false;
            }
            Chunk c = new Chunk();
            c.insert(0, start, end);
            chunks.put(start, c);
            count = 1;
            totalBytes = end - start;
            return true;
        }
        Chunk c = entry.getValue();
        int i = c.firstEndAtLeast(start);
        if (i == c.n) {
            Map.Entry<Long, Chunk> next = chunks.higherEntry(entry.getKey());
            if (next == null || next.getValue().s[0] > end) {
                // Past every range: append to this chunk.
                return insert(c, c.n, start, end);
            }
            c = next.getValue();
            i = 0;
        }
        if (c.s[i] > end) {
            return insert(c, i, start, end);
        }
        merge(c, i, start, end);
        return true;
    }

    private boolean roomForOneMore() {
        if (count >= maxRanges) {
            overflowed = true;
            return false;
        }
        return true;
    }

    /** Inserts a range that touches nothing at index i of c (before the range there). */
    private boolean insert(Chunk c, int i, long start, long end) {
        if (!roomForOneMore()) {
            return false;
        }
        if (c.n == CHUNK) {
            Chunk upper = c.splitUpperHalf();
            chunks.put(upper.s[0], upper);
            if (i > c.n) {
                i -= c.n;
                c = upper;
            }
        }
        long oldKey = c.s[0];
        c.insert(i, start, end);
        if (i == 0) {
            rekey(c, oldKey);
        }
        count++;
        totalBytes += end - start;
        return true;
    }

    /**
     * Merges [start, end) with range i of c, which touches it, and every later range it reaches.
     */
    private void merge(Chunk c, int i, long start, long end) {
        long lo = Math.min(start, c.s[i]);
        long hi = end;
        long removedBytes = 0;
        int removed = 0;
        int j = i;
        while (j < c.n && c.s[j] <= hi) {
            hi = Math.max(hi, c.e[j]);
            removedBytes += c.e[j] - c.s[j];
            j++;
        }
        removed += j - i;
        if (j == c.n) {
            // Later chunks may be reached too: swallow whole ones, trim the front of the last.
            Map.Entry<Long, Chunk> next = chunks.higherEntry(c.s[0]);
            while (next != null && next.getValue().s[0] <= hi) {
                Chunk d = next.getValue();
                int k = 0;
                while (k < d.n && d.s[k] <= hi) {
                    hi = Math.max(hi, d.e[k]);
                    removedBytes += d.e[k] - d.s[k];
                    k++;
                }
                removed += k;
                chunks.remove(next.getKey());
                if (k < d.n) {
                    d.removeFront(k);
                    chunks.put(d.s[0], d);
                    break;
                }
                next = chunks.higherEntry(next.getKey());
            }
        }
        long oldKey = c.s[0];
        c.replace(i, j, lo, hi);
        if (i == 0) {
            rekey(c, oldKey);
        }
        count -= removed - 1;
        totalBytes += (hi - lo) - removedBytes;
        compact(c);
    }

    private void rekey(Chunk c, long oldKey) {
        if (c.s[0] != oldKey) {
            chunks.remove(oldKey);
            chunks.put(c.s[0], c);
        }
    }

    /**
     * Keeps chunks from staying nearly empty after merges: a chunk with fewer than {@link #SPARSE}
     * ranges joins a neighbour when the two fit in one.
     */
    private void compact(Chunk c) {
        Map.Entry<Long, Chunk> next = chunks.higherEntry(c.s[0]);
        if (next != null && (c.n < SPARSE || next.getValue().n < SPARSE)) {
            join(c, next.getValue());
        }
        Map.Entry<Long, Chunk> prev = chunks.lowerEntry(c.s[0]);
        if (prev != null && c.n < SPARSE) {
            join(prev.getValue(), c);
        }
    }

    /** Moves b's ranges to the end of a when they fit; a precedes b. */
    private void join(Chunk a, Chunk b) {
        if (a.n + b.n > CHUNK) {
            return;
        }
        System.arraycopy(b.s, 0, a.s, a.n, b.n);
        System.arraycopy(b.e, 0, a.e, a.n, b.n);
        a.n += b.n;
        chunks.remove(b.s[0]);
    }

    /** Chunks in use (for tests of the memory bound). */
    synchronized int chunkCount() {
        return chunks.size();
    }

    /**
     * Visits the ranges that overlap [start, end), clipped to it, in order.
     *
     * @return false if the sink stopped the walk
     */
    public synchronized boolean forEach(long start, long end, RangeSink sink) {
        Map.Entry<Long, Chunk> entry = chunks.floorEntry(start);
        if (entry == null) {
            entry = chunks.firstEntry();
        }
        while (entry != null) {
            Chunk c = entry.getValue();
            for (int i = c.firstEndAtLeast(start + 1); i < c.n; i++) {
                if (c.s[i] >= end) {
                    return true;
                }
                if (!sink.range(Math.max(start, c.s[i]), Math.min(end, c.e[i]))) {
                    return false;
                }
            }
            entry = chunks.higherEntry(entry.getKey());
        }
        return true;
    }

    /**
     * Visits the gaps of [start, end) that the set does not cover, in order.
     *
     * @return false if the sink stopped the walk
     */
    public synchronized boolean forEachGap(long start, long end, RangeSink sink) {
        long[] pos = {start};
        boolean whole =
                forEach(
                        start,
                        end,
                        (a, b) -> {
                            if (a > pos[0] && !sink.range(pos[0], a)) {
                                return false;
                            }
                            pos[0] = b;
                            return true;
                        });
        if (!whole) {
            return false;
        }
        return pos[0] >= end || sink.range(pos[0], end);
    }

    /**
     * The first gap of [from, end) that the set does not cover, as {start, end}, or null when it
     * covers all of it. O(log n): a walk over many gaps calls this once per gap.
     */
    public synchronized long[] firstGap(long from, long end) {
        long pos = from;
        Map.Entry<Long, Chunk> entry = chunks.floorEntry(pos);
        if (entry == null) {
            entry = chunks.firstEntry();
        }
        while (entry != null && pos < end) {
            Chunk c = entry.getValue();
            for (int i = c.firstEndAtLeast(pos + 1); i < c.n; i++) {
                if (c.s[i] > pos) {
                    return new long[] {pos, Math.min(c.s[i], end)};
                }
                pos = c.e[i];
                if (pos >= end) {
                    return null;
                }
            }
            entry = chunks.higherEntry(entry.getKey());
        }
        return pos < end ? new long[] {pos, end} : null;
    }

    /** Bytes of [start, end) covered by the set. */
    public synchronized long coveredBytes(long start, long end) {
        long[] covered = {0};
        forEach(
                start,
                end,
                (a, b) -> {
                    covered[0] += b - a;
                    return true;
                });
        return covered[0];
    }

    /** The gaps of [start, end) not covered by the set, in order, as {start, end}. */
    public synchronized List<long[]> gaps(long start, long end) {
        List<long[]> gaps = new ArrayList<>();
        forEachGap(start, end, (a, b) -> gaps.add(new long[] {a, b}));
        return gaps;
    }

    /** Forgets every range (the cap's overflow mark too). */
    public synchronized void clear() {
        chunks.clear();
        count = 0;
        totalBytes = 0;
        overflowed = false;
    }

    /** Separate ranges held. */
    public synchronized long size() {
        return count;
    }

    public synchronized long totalBytes() {
        return totalBytes;
    }

    /** Whether an addition was ever dropped at the cap. */
    public synchronized boolean overflowed() {
        return overflowed;
    }

    public long maxRanges() {
        return maxRanges;
    }

    /** Sorted ranges: range i is [s[i], e[i]). Primitive pairs, see the class comment. */
    private static final class Chunk {
        final long[] s = new long[CHUNK];
        final long[] e = new long[CHUNK];
        int n;

        /** The first index whose end is at least {@code pos}, or n. */
        int firstEndAtLeast(long pos) {
            int lo = 0;
            int hi = n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (e[mid] >= pos) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }

        void insert(int i, long start, long end) {
            System.arraycopy(s, i, s, i + 1, n - i);
            System.arraycopy(e, i, e, i + 1, n - i);
            s[i] = start;
            e[i] = end;
            n++;
        }

        /** Replaces ranges [i, j) with one range (j > i). */
        void replace(int i, int j, long start, long end) {
            s[i] = start;
            e[i] = end;
            System.arraycopy(s, j, s, i + 1, n - j);
            System.arraycopy(e, j, e, i + 1, n - j);
            n -= j - i - 1;
        }

        void removeFront(int k) {
            System.arraycopy(s, k, s, 0, n - k);
            System.arraycopy(e, k, e, 0, n - k);
            n -= k;
        }

        Chunk splitUpperHalf() {
            Chunk upper = new Chunk();
            int half = n / 2;
            upper.n = n - half;
            System.arraycopy(s, half, upper.s, 0, upper.n);
            System.arraycopy(e, half, upper.e, 0, upper.n);
            n = half;
            return upper;
        }
    }
}
