package io.sparserandom.generator;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * shape=FILE|NAME: the runs of a learned {@link Shape}, at the learned size or scaled to any size.
 *
 * <pre>
 *   learned runs, in bytes -> in 4 KiB blocks: a block takes the highest state of the bytes in it
 *                             (data > allocated zero > hole); L = learned blocks, B = our blocks
 *
 *   B = L: the learned runs, exactly
 *   B > L: a {@link ShapeWalk} of whole learned runs over W blocks, repeated in place n times:
 *          c = max(1, MAX_COPIES / units), n = ceil(B / (c L)), W = ceil(B / n)
 *          (n = 1, the walk is the disk, up to c times the learned size: 58 TiB for btrfs)
 *          if the walk misses a zone's share by more than 2 points: in-place repetition of the
 *          learned runs over B (below) instead
 *   B < L: in-place repetition of the learned runs (each cycle shrunk)
 *
 *   in-place repetition of runs over S source blocks onto B blocks:
 *   cycle     = the non-hole runs before a hole run, and that hole run (a disk that starts with a
 *               hole starts with a cycle of that hole alone)
 *   zone      = 1/64 of the source, boundaries Z_k = floor(k * S / 64)
 *   a cycle is cut at every zone boundary inside it when repeating it whole would change the
 *   non-hole share of a zone it straddles by more than 1 point
 *   cycle i has source start S_i and length c_i = S_{i+1} - S_i
 *   it owns our blocks [T_i, T_{i+1}),  T_i = floor(S_i * B / S)      (exact, 128-bit)
 *   and fills them with n_i = floor((T_{i+1} - T_i) / c_i) copies of itself, then one partial
 *   copy of q_i = (T_{i+1} - T_i) - n_i * c_i blocks in which every boundary y (relative
 *   to S_i) moves to floor(y * q_i / c_i)
 * </pre>
 *
 * Why a walk: repeating learned cycles in place keeps where the data lies only by cutting the
 * cycles whose long hole crosses 1/64s (a file system's metadata and extents, then gigabytes of
 * nothing), and the cut pieces become holes of new lengths: xfs at 1T had a KS distance of 0.49 on
 * holes. The walk instead keeps every run whole and lets the mix of runs differ from zone to zone
 * (ShapeWalk's class doc has the rules); at 1T every built-in shape keeps its data fraction
 * exactly, every 1/64 within 1.5 points and both KS distances under 0.04 (ShapeLayoutTest).
 * Repeating a walk n times in place (n > 1 only past c times the learned size) keeps its run
 * lengths but for one partial copy of a few blocks per cycle, as W is within one block of B / n.
 * Scaled down, each cycle is its partial copy alone: the fraction and the spread are kept, the run
 * lengths shrink by B / L. The layout is a pure function of the shape and the size; the seed picks
 * the content only.
 *
 * <p>Memory is bounded by the shape and MAX_COPIES, not the size: 9 bytes per run and 12 per cycle
 * of the learned runs or of the walk (at most about MAX_COPIES = 256 Ki units, ~5 MB; for a million
 * learned runs about 15 MB plus 9 MB for the {@link Shape}). Start-up is one pass over the runs
 * plus the walk (one TreeMap step per copy, under a second for 256 Ki copies). A lookup is a binary
 * search over the cycles and one over the runs of a cycle; no state per thread.
 */
final class ShapeLayout implements Layout {
    static final int ZONES = 64;

    /**
     * A cycle is cut at zone boundaries when repeating it whole would move more than this share of
     * a zone's blocks between data and hole (1 point; two cycles at most straddle a zone).
     */
    static final double CUT_ERROR = 0.01;

    /**
     * A walk that misses a zone's data share by more than this (2 points, issue 15's bar) is not
     * used: the shape is then repeated in place, which keeps the spread and bends the run lengths.
     */
    static final double WALK_ERROR = 0.02;

    private static final byte HOLE = (byte) Shape.State.HOLE.ordinal();
    private static final byte ZERO = (byte) Shape.State.ZERO.ordinal();
    private static final byte DATA = (byte) Shape.State.DATA.ordinal();

    private final long blocks;
    private final long learnedBlocks;

    /** Learned block where run j starts; runStart[runs] = learnedBlocks. */
    private final long[] runStart;

    private final byte[] runState;

    /** First run of cycle i; cycleRun[cycles] = runs. */
    private final int[] cycleRun;

    /** Our block where cycle i starts; target[cycles] = blocks. */
    private final long[] target;

    private final int cycles;

    private ShapeLayout(long blocks, long learnedBlocks, BlockRuns runs) {
        this.blocks = blocks;
        this.learnedBlocks = learnedBlocks;
        this.runStart = runs.start;
        this.runState = runs.state;
        this.cycleRun = runs.cycleRun;
        this.cycles = runs.cycles;
        this.target = new long[cycles + 1];
        for (int i = 0; i < cycles; i++) {
            target[i] = scale(runStart[cycleRun[i]], blocks, learnedBlocks);
        }
        target[cycles] = blocks;
    }

    static Layout create(Shape shape, long blocks) {
        long learnedBlocks = (shape.size() - 1) / SparseRandomDisk.BLOCK_SIZE + 1;
        BlockRuns runs = BlockRuns.of(shape, learnedBlocks);
        if (runs.runs == 1 && runs.state[0] == DATA) {
            return new Uniform(blocks, true);
        }
        if (blocks <= learnedBlocks || !runs.hasBothKinds()) {
            return new ShapeLayout(blocks, learnedBlocks, runs.cut(learnedBlocks));
        }
        // Grown: a walk over a base of at most ~MAX_COPIES units, repeated n times in place.
        int units = ShapeWalk.units(runs.start, runs.state, runs.runs);
        long copiesPerUnit = Math.max(1, ShapeWalk.MAX_COPIES / units);
        long n =
                copiesPerUnit > Long.MAX_VALUE / learnedBlocks
                        ? 1
                        : Math.max(1, ceilDiv(blocks, copiesPerUnit * learnedBlocks));
        long base = ceilDiv(blocks, n);
        ShapeWalk.Runs walked =
                ShapeWalk.walk(runs.start, runs.state, runs.runs, learnedBlocks, base, WALK_ERROR);
        if (walked == null) {
            return new ShapeLayout(blocks, learnedBlocks, runs.cut(learnedBlocks));
        }
        BlockRuns w = BlockRuns.of(walked.start(), walked.state());
        return new ShapeLayout(blocks, base, w.cut(base));
    }

    private static long ceilDiv(long a, long b) {
        return a / b + (a % b == 0 ? 0 : 1);
    }

    /** floor(s * b / l), exact. */
    static long scale(long s, long b, long l) {
        if (b == l) {
            return s;
        }
        if (s == 0 || b <= Long.MAX_VALUE / s) {
            return s * b / l;
        }
        return BigInteger.valueOf(s)
                .multiply(BigInteger.valueOf(b))
                .divide(BigInteger.valueOf(l))
                .longValueExact();
    }

    @Override
    public long blocks() {
        return blocks;
    }

    @Override
    public boolean isData(long block) {
        return runState[locate(block, null)] == DATA;
    }

    @Override
    public boolean isAllocatedZero(long block) {
        return runState[locate(block, null)] == ZERO;
    }

    @Override
    public long runEnd(long block, long limit) {
        long[] end = new long[1];
        byte state = runState[locate(block, end)];
        // Equal neighbours meet only across a copy or cycle boundary: a cycle that is one run
        // ends at its region's end, so this loop takes a step per such boundary, not per copy.
        while (end[0] < limit && end[0] < blocks) {
            long[] next = new long[1];
            if (runState[locate(end[0], next)] != state) {
                break;
            }
            end[0] = next[0];
        }
        return Math.min(end[0], blocks);
    }

    @Override
    public long lookaheadBlocks() {
        return blocks;
    }

    /**
     * The learned run that our {@code block} is a copy of; {@code end[0]} (when given) receives the
     * end of that run's copy in our blocks.
     */
    private int locate(long block, long[] end) {
        int i = lastAtOrBefore(target, 0, cycles, block);
        long t0 = target[i];
        long region = target[i + 1] - t0;
        int j0 = cycleRun[i];
        int j1 = cycleRun[i + 1];
        long s0 = runStart[j0];
        long c = runStart[j1] - s0;
        if (j1 - j0 == 1) {
            if (end != null) {
                end[0] = t0 + region;
            }
            return j0;
        }
        long o = block - t0;
        long full = region / c;
        int j;
        if (o < full * c) {
            long copy = o / c;
            long x = o - copy * c;
            j = lastAtOrBefore(runStart, j0, j1, s0 + x);
            if (end != null) {
                end[0] = t0 + copy * c + (runStart[j + 1] - s0);
            }
        } else {
            long base = t0 + full * c;
            long q = region - full * c;
            long x = o - full * c;
            int lo = j0;
            int hi = j1 - 1;
            while (lo < hi) { // the last run whose moved start is <= x
                int mid = (lo + hi + 1) >>> 1;
                if (shrink(runStart[mid] - s0, q, c) <= x) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            j = lo;
            if (end != null) {
                end[0] = base + shrink(runStart[j + 1] - s0, q, c);
            }
        }
        return j;
    }

    /** floor(y * q / c) for 0 <= y <= c, q < c: monotone in y, exact at both ends. */
    private static long shrink(long y, long q, long c) {
        if (y >= c) {
            return q;
        }
        if (y == 0) {
            return 0;
        }
        if (q <= Long.MAX_VALUE / y) {
            return y * q / c;
        }
        return (long) Math.floor((double) y * q / c);
    }

    /** The largest index k in [from, to) with a[k] <= key (a is sorted; a[from] <= key). */
    private static int lastAtOrBefore(long[] a, int from, int to, long key) {
        int k = Arrays.binarySearch(a, from, to, key);
        if (k >= 0) {
            // Equal starts (empty regions when scaling down): take the last of them.
            while (k + 1 < to && a[k + 1] == key) {
                k++;
            }
            return k;
        }
        return -k - 2;
    }

    /** The learned runs in blocks, cut into cycles. */
    private static final class BlockRuns {
        long[] start = new long[64];
        byte[] state = new byte[64];
        int runs;
        int[] cycleRun = new int[64];
        int cycles;

        private long pendingBlock = -1;
        private byte pendingState;
        private long nextBlock;

        static BlockRuns of(Shape shape, long learnedBlocks) {
            BlockRuns r = new BlockRuns();
            long pos = 0;
            for (int k = 0; k < shape.runCount(); k++) {
                long s = pos;
                long e = pos + shape.length(k);
                pos = e;
                byte st = (byte) shape.state(k).ordinal();
                long first = s >>> SparseRandomDisk.BLOCK_SHIFT;
                long last = (e - 1) >>> SparseRandomDisk.BLOCK_SHIFT;
                r.touch(first, st);
                if (last > first) {
                    r.flushPending();
                    r.append(first + 1, last, st);
                    r.touch(last, st);
                }
            }
            r.flushPending();
            r.start = Arrays.copyOf(r.start, r.runs + 1);
            r.start[r.runs] = learnedBlocks;
            return r;
        }

        /** Whether there are holes and runs that are not holes. */
        boolean hasBothKinds() {
            boolean hole = false;
            boolean other = false;
            for (int j = 0; j < runs; j++) {
                hole |= state[j] == HOLE;
                other |= state[j] != HOLE;
            }
            return hole && other;
        }

        /** Runs already in blocks (start has the end appended). */
        static BlockRuns of(long[] start, byte[] state) {
            BlockRuns r = new BlockRuns();
            r.start = start;
            r.state = state;
            r.runs = state.length;
            return r;
        }

        /** Edge blocks may be shared by two byte runs: the higher state wins. */
        private void touch(long block, byte st) {
            if (block == pendingBlock) {
                pendingState = (byte) Math.max(pendingState, st);
                return;
            }
            flushPending();
            pendingBlock = block;
            pendingState = st;
        }

        private void flushPending() {
            if (pendingBlock >= 0) {
                append(pendingBlock, pendingBlock + 1, pendingState);
                pendingBlock = -1;
            }
        }

        private void append(long from, long to, byte st) {
            if (from >= to) {
                return;
            }
            if (from != nextBlock) {
                throw new IllegalStateException("block runs out of order at " + from);
            }
            nextBlock = to;
            if (runs > 0 && state[runs - 1] == st) {
                return;
            }
            if (runs == start.length) {
                start = Arrays.copyOf(start, runs * 2);
                state = Arrays.copyOf(state, runs * 2);
            }
            start[runs] = from;
            state[runs++] = st;
        }

        /**
         * Cuts the runs into cycles (see the class doc), splitting runs at the zone boundaries of
         * the cycles that are cut.
         */
        private BlockRuns cut(long learnedBlocks) {
            long[] outStart = new long[runs + ZONES + 1];
            byte[] outState = new byte[runs + ZONES + 1];
            int out = 0;
            int[] cyc = new int[runs / 2 + ZONES + 2];
            int nc = 0;
            int j = 0;
            while (j < runs) {
                // The natural cycle: runs j..h, h the first hole at or after j (or the last run).
                int h = j;
                long nonHole = 0;
                while (h < runs - 1 && state[h] != HOLE) {
                    nonHole += start[h + 1] - start[h];
                    h++;
                }
                long cs = start[j];
                long ce = start[h + 1];
                boolean split = nonHole > 0 && misplaced(j, h, nonHole, learnedBlocks) > CUT_ERROR;
                cyc = grow(cyc, nc + ZONES + 1);
                cyc[nc++] = out;
                int k = split ? nextZone(cs, learnedBlocks) : ZONES;
                long boundary = zoneStart(k, learnedBlocks);
                for (int r = j; r <= h; r++) {
                    long rs = start[r];
                    long re = start[r + 1];
                    long at = rs;
                    while (boundary < re) {
                        if (boundary > at) {
                            outStart[out] = at;
                            outState[out++] = state[r];
                            at = boundary;
                        }
                        if (boundary > cs && boundary < ce) {
                            cyc[nc++] = out;
                        }
                        k++;
                        boundary = k >= ZONES ? Long.MAX_VALUE : zoneStart(k, learnedBlocks);
                    }
                    outStart[out] = at;
                    outState[out++] = state[r];
                }
                j = h + 1;
            }
            cyc = grow(cyc, nc + 1);
            cyc[nc] = out;
            start = Arrays.copyOf(outStart, out + 1);
            start[out] = learnedBlocks;
            state = Arrays.copyOf(outState, out);
            runs = out;
            cycleRun = Arrays.copyOf(cyc, nc + 1);
            cycles = nc;
            return this;
        }

        /**
         * The largest change, as a share of a zone, that repeating cycle j..h in place would make
         * to the non-hole share of a zone it overlaps: copies spread the cycle's non-hole blocks
         * evenly over its range, where the learned cycle had them at its start.
         */
        private double misplaced(int j, int h, long nonHole, long learnedBlocks) {
            long cs = start[j];
            long ce = start[h + 1];
            double density = (double) nonHole / (ce - cs);
            int k = nextZone(cs, learnedBlocks) - 1;
            long zoneEnd = zoneEnd(k, learnedBlocks);
            if (zoneEnd >= ce) {
                return 0; // inside one zone: nothing moves between zones
            }
            double worst = 0;
            long acc = 0;
            long from = cs;
            for (int r = j; r <= h; r++) {
                long at = start[r];
                long re = start[r + 1];
                boolean counts = state[r] != HOLE;
                while (zoneEnd < re) {
                    acc += counts ? zoneEnd - at : 0;
                    at = zoneEnd;
                    worst = Math.max(worst, error(acc, density, from, zoneEnd, k, learnedBlocks));
                    acc = 0;
                    from = zoneEnd;
                    zoneEnd = zoneEnd(++k, learnedBlocks);
                }
                acc += counts ? re - at : 0;
            }
            return Math.max(worst, error(acc, density, from, ce, k, learnedBlocks));
        }

        private static double error(
                long learned, double density, long from, long to, int k, long learnedBlocks) {
            long zoneLen = zoneEnd(k, learnedBlocks) - (k == 0 ? 0 : zoneStart(k, learnedBlocks));
            return Math.abs(learned - density * (to - from)) / zoneLen;
        }

        private static long zoneEnd(int k, long learnedBlocks) {
            return k + 1 >= ZONES ? learnedBlocks : zoneStart(k + 1, learnedBlocks);
        }

        private static int[] grow(int[] a, int need) {
            return need <= a.length ? a : Arrays.copyOf(a, Math.max(need, a.length * 2));
        }

        /** The first zone boundary index k (1..ZONES-1) with Z_k > block, or ZONES. */
        private static int nextZone(long block, long learnedBlocks) {
            int k = 1;
            while (k < ZONES && zoneStart(k, learnedBlocks) <= block) {
                k++;
            }
            return k;
        }

        private static long zoneStart(int k, long learnedBlocks) {
            return k >= ZONES ? Long.MAX_VALUE : scale(k, learnedBlocks, ZONES);
        }
    }
}
