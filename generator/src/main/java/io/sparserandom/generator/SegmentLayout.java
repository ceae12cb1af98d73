package io.sparserandom.generator;

import java.util.Arrays;

/**
 * The default, memory-free layout: statistically nbdkit's chain, but any block's type is computed
 * without replaying the disk before it.
 *
 * <pre>
 *   q_d = min(1, P_dh), q_h = min(1, P_hd)      (P_dh, P_hd as in nbdkit, see Transitions)
 *   mean data run  D = 1 / q_d blocks           (= runlength / 4096 when runlength >= 4096)
 *   mean hole run  H = 1 / q_h blocks           (= D * (100 - percent) / percent)
 *   segment length S = clamp(16 * (D + H), 64, 2^40) blocks    (about 16 data runs per segment)
 *
 *   segment k covers blocks [k*S, min((k+1)*S, blocks)); its own PRNG is
 *       xoshiro256**(mix64(layoutKey + k * GOLDEN)),  layoutKey = hash(seed, percent, runlength)
 *   first type: DATA if u < D / (D + H) (the chain's stationary share of data), u uniform (0,1)
 *   then runs alternate; each length is drawn directly from the chain's geometric distribution
 *   by inverse CDF, one draw per run:  len = 1 + floor(ln(u) / ln(1 - q)), u uniform in (0,1),
 *   q = q_d for data, q_h for holes; the last run is cut at the segment end.
 * </pre>
 *
 * Because the geometric distribution is memoryless, a run cut at a segment end and the fresh state
 * drawn at the next segment's start look like the chain, except that the type at a boundary is
 * drawn from the stationary share instead of continuing: about percent*(1-percent) extra run ends
 * per segment, against ~16 data runs per segment, i.e. a bias on the mean run of ~1.5 % at worst
 * (percent 50). Equal types across a boundary are merged by {@link #runEnd}.
 *
 * <p>Start-up and memory do not depend on the size; a lookup decodes one segment (~32 runs, a
 * microsecond) and each thread keeps the last two decoded segments.
 */
final class SegmentLayout implements Layout {
    /** Mean data+hole cycles per segment. */
    static final int CYCLES_PER_SEGMENT = 16;

    static final long MIN_SEGMENT_BLOCKS = 64;
    static final long MAX_SEGMENT_BLOCKS = 1L << 40;

    /** An extents walk may decode this many segments past the request to finish its last run. */
    static final long LOOKAHEAD_SEGMENTS = 1024;

    private final long blocks;
    private final long segmentBlocks;
    private final long layoutKey;
    private final double dataShare;

    /** ln(1 - q) for data and hole runs: -0.0 when q == 0 (endless), -inf when q == 1. */
    private final double lnStayData;

    private final double lnStayHole;
    private final ThreadLocal<Segment[]> cache;

    private SegmentLayout(DiskParams p, long blocks) {
        this.blocks = blocks;
        Transitions t = Transitions.of(p.percent(), p.runlength());
        double qd = Math.min(1, t.leaveData());
        double qh = Math.min(1, t.leaveHole());
        double meanData = 1 / qd;
        double meanHole = 1 / qh;
        double cycle = meanData + meanHole;
        double s = Math.ceil(CYCLES_PER_SEGMENT * cycle);
        this.segmentBlocks =
                s >= MAX_SEGMENT_BLOCKS
                        ? MAX_SEGMENT_BLOCKS
                        : Math.max(MIN_SEGMENT_BLOCKS, (long) s);
        this.dataShare = Double.isInfinite(meanHole) ? 0 : meanData / cycle;
        this.lnStayData = Math.log1p(-qd);
        this.lnStayHole = Math.log1p(-qh);
        @SuppressWarnings("ConstantOverflow") // the salt's product wraps modulo 2^64 by design
        long k = Xoshiro256.mix64(p.seed() + 0x5eedL * Xoshiro256.GOLDEN);
        k = Xoshiro256.mix64(k ^ Double.doubleToLongBits(p.percent()));
        this.layoutKey = Xoshiro256.mix64(k ^ p.runlength());
        this.cache = ThreadLocal.withInitial(() -> new Segment[] {new Segment(), new Segment()});
    }

    static Layout create(DiskParams p, long blocks) {
        if (p.percent() == 0) {
            return new Uniform(blocks, false);
        }
        if (p.percent() == 100) {
            return new Uniform(blocks, true);
        }
        return new SegmentLayout(p, blocks);
    }

    long segmentBlocks() {
        return segmentBlocks;
    }

    @Override
    public long blocks() {
        return blocks;
    }

    @Override
    public boolean isData(long block) {
        Segment s = segment(block / segmentBlocks);
        return s.isData(s.runIndex(block));
    }

    @Override
    public long runEnd(long block, long limit) {
        Segment s = segment(block / segmentBlocks);
        int j = s.runIndex(block);
        boolean data = s.isData(j);
        long end = s.ends[j];
        while (end == s.end && end < blocks && end < limit) {
            s = segment(s.index + 1);
            if (s.firstData != data) {
                break;
            }
            end = s.ends[0];
        }
        return end;
    }

    @Override
    public long lookaheadBlocks() {
        long max = Long.MAX_VALUE / segmentBlocks;
        return LOOKAHEAD_SEGMENTS >= max ? Long.MAX_VALUE : LOOKAHEAD_SEGMENTS * segmentBlocks;
    }

    /**
     * The decoded segment k from this thread's cache (two entries, least recently used replaced).
     */
    private Segment segment(long k) {
        Segment[] c = cache.get();
        if (c[0].index == k) {
            return c[0];
        }
        Segment s = c[1];
        if (s.index != k) {
            decode(k, s);
        }
        c[1] = c[0];
        c[0] = s;
        return s;
    }

    private void decode(long k, Segment s) {
        long start = k * segmentBlocks;
        long end = blocks - start <= segmentBlocks ? blocks : start + segmentBlocks;
        Xoshiro256 rng = s.rng;
        rng.seed(Xoshiro256.mix64(layoutKey + k * Xoshiro256.GOLDEN));
        boolean data = rng.nextOpenUnit() < dataShare;
        s.index = -1; // invalid while being rebuilt
        s.end = end;
        s.firstData = data;
        int n = 0;
        long pos = start;
        while (pos < end) {
            double runs =
                    Math.floor(Math.log(rng.nextOpenUnit()) / (data ? lnStayData : lnStayHole));
            long remaining = end - pos;
            long len = runs >= remaining - 1 ? remaining : 1 + (long) runs;
            pos += len;
            if (n == s.ends.length) {
                s.ends = Arrays.copyOf(s.ends, n * 2);
            }
            s.ends[n++] = pos;
            data = !data;
        }
        s.count = n;
        s.index = k;
    }

    /** One decoded segment: run j covers [j == 0 ? the segment start : ends[j-1], ends[j]). */
    private static final class Segment {
        final Xoshiro256 rng = new Xoshiro256(0);
        long index = -1;
        long end;
        boolean firstData;
        long[] ends = new long[64];
        int count;

        int runIndex(long block) {
            int lo = 0;
            int hi = count - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (ends[mid] > block) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }

        boolean isData(int run) {
            return firstData ^ ((run & 1) == 1);
        }
    }
}
