package io.sparserandom.generator;

import java.util.Arrays;
import java.util.Comparator;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Lays copies of whole learned runs out over a bigger disk so that the data share of every 1/64
 * follows the learned curve: how {@link ShapeLayout} grows a shape.
 *
 * <pre>
 *   unit   = a hole run (H), or a maximal group of data and allocated-zero runs (A); learned units
 *            alternate A, H, A, H ...
 *   r      = W / L  (W our blocks, L learned blocks)
 *   deck   = per kind, unit u (the i-th of its kind) gets floor(r(i+1)+1/2) - floor(ri+1/2)
 *            copies, r on average. A learned disk that starts and ends with the same kind has r
 *            copies more of it than alternation can place: half of that surplus is taken from its
 *            shortest units and half added to the other kind's shortest, round-robin, among units
 *            short enough that the copies moved hold at most half a point of a zone
 *   order  = copies are "due" in learned order (copy j of u at r * (S_u + (j+1/2) len_u / c_u))
 *   curve  = C_k = floor(N(Z_k) W / L) at our zone ends X_k = floor(k W / 64), N(Z) the learned
 *            non-hole blocks before learned zone end Z_k = floor(k L / 64)
 *   walk   = from block 0, A and H alternate (starting as the learned disk starts). At x in zone k:
 *            need = C_{k+1} - non-hole blocks placed, room = X_{k+1} - x, tol = half a point of k
 *     A: limit = need + tol, or room + (C_{k+2} - C_{k+1}) + tol when need >= room (the overflow
 *        is the next zone's data). limit <= 0: the shortest A. Else f = the longest A <= limit;
 *        take the earliest-due A in [f/8, limit] among the next 64 due, else f
 *     H: need <= 0: the shortest H >= room that does not reach past the hole share of the zones
 *        after (their hole blocks up to the first one over 1 % data), else the longest that does.
 *        need > 0: m = max(1, need / len(earliest-due A)) runs to come, ideal = (room - need) / m;
 *        the earliest-due H if within [ideal/2, 2 ideal] and <= room - need, else the H nearest
 *        ideal among those <= room - need, else the shortest
 *   a kind whose deck runs out gets one more copy of each unit; the last run is cut at W
 * </pre>
 *
 * Why: every copy is a whole learned unit and A and H alternate, so no two runs merge in block
 * status and the run lengths are the learned ones in the learned proportions, but for the copies
 * left over when the disk is full and the few moved to even out the kinds. The shares are met at
 * zone ends because a hole crossing a zone end covers exactly what the zone has left. Short holes
 * are the scarce resource: a dense learned zone has one short hole per extent but one long hole
 * after its last, and its copies need one short hole per extent; so dense zones take long A's (the
 * f/8 rule keeps tiny A's out of them) and the tiny A's separate the long holes elsewhere. A shape
 * can still ask for more short holes than it has (two extents around one short hole in a 99 %
 * zone): the walk then misses the zone share, and {@link ShapeLayout} checks that and falls back to
 * repeating cycles in place. Cost: one pass over the copies, O(log) each (TreeMap by length), at
 * most {@link #MAX_COPIES} copies.
 */
final class ShapeWalk {
    /**
     * The deck holds at most about this many copies (2 MB of state); {@link ShapeLayout} repeats a
     * walk in place for bigger disks.
     */
    static final int MAX_COPIES = 1 << 18;

    /** An A shorter than 1/TINY of the longest that fits is not put in a dense zone. */
    static final int TINY = 8;

    /** How many copies ahead of the due one pickA looks for one that is not tiny. */
    static final int SCAN = 64;

    private static final byte HOLE = (byte) Shape.State.HOLE.ordinal();

    private final long[] runStart;
    private final byte[] runState;
    private final int runs;
    private final long learned;

    /** Units: first run, run after the last, learned start, length, hole or not. */
    private int[] unitRun;

    private long[] unitStart;
    private boolean[] unitHole;
    private int units;

    /** Our zone boundaries X_k and the curve C_k there. */
    private long[] zoneEnd;

    private long[] curve;

    // The runs written so far.
    private long[] outStart = new long[256];
    private byte[] outState = new byte[256];
    private int out;

    private ShapeWalk(long[] runStart, byte[] runState, int runs, long learned) {
        this.runStart = runStart;
        this.runState = runState;
        this.runs = runs;
        this.learned = learned;
        unitRun = new int[runs + 1];
        unitStart = new long[runs + 1];
        unitHole = new boolean[runs];
        int j = 0;
        while (j < runs) {
            unitRun[units] = j;
            unitStart[units] = runStart[j];
            unitHole[units] = runState[j] == HOLE;
            if (runState[j] == HOLE) {
                j++;
            } else {
                while (j < runs && runState[j] != HOLE) {
                    j++;
                }
            }
            units++;
        }
        unitRun[units] = runs;
        unitStart[units] = learned;
    }

    /** The number of units (A and H) of learned runs. */
    static int units(long[] runStart, byte[] runState, int runs) {
        int n = 0;
        for (int j = 0; j < runs; j++) {
            if (runState[j] == HOLE || j == 0 || runState[j - 1] == HOLE) {
                n++;
            }
        }
        return n;
    }

    /** Runs in blocks: {@code start} has one more entry, the end. */
    record Runs(long[] start, byte[] state) {}

    /**
     * The walk over {@code blocks} of our blocks, or null when it misses the learned non-hole share
     * of some zone by more than {@code maxZoneError} (a share of the zone).
     */
    static Runs walk(
            long[] runStart,
            byte[] runState,
            int runs,
            long learned,
            long blocks,
            double maxZoneError) {
        ShapeWalk w = new ShapeWalk(runStart, runState, runs, learned);
        if (!w.run(blocks)) {
            return null;
        }
        long[] s = Arrays.copyOf(w.outStart, w.out + 1);
        s[w.out] = blocks;
        Runs walked = new Runs(s, Arrays.copyOf(w.outState, w.out));
        return w.zoneError(walked) <= maxZoneError ? walked : null;
    }

    /** The largest difference between the walk's and the curve's non-hole share of a zone. */
    private double zoneError(Runs walked) {
        double worst = 0;
        int j = 0;
        int n = walked.state().length;
        long[] s = walked.start();
        for (int k = 0; k < ShapeLayout.ZONES; k++) {
            long z0 = zoneEnd[k];
            long z1 = zoneEnd[k + 1];
            long nonHole = 0;
            while (j < n && s[j + 1] <= z0) {
                j++;
            }
            for (int i = j; i < n && s[i] < z1; i++) {
                if (walked.state()[i] != HOLE) {
                    nonHole += Math.min(z1, s[i + 1]) - Math.max(z0, s[i]);
                }
            }
            if (z1 > z0) {
                worst =
                        Math.max(
                                worst,
                                Math.abs(nonHole - (curve[k + 1] - curve[k])) / (double) (z1 - z0));
            }
        }
        return worst;
    }

    private long unitLength(int u) {
        return unitStart[u + 1] - unitStart[u];
    }

    /** Walks; false when a pathological shape makes it take more steps than its decks hold. */
    private boolean run(long blocks) {
        double r = (double) blocks / learned;
        long[] copies = copies(r, blocks);
        Deck a = new Deck(false, copies);
        Deck h = new Deck(true, copies);
        int zones = ShapeLayout.ZONES;
        zoneEnd = new long[zones + 1];
        curve = new long[zones + 1];
        long nonHole = 0;
        int j = 0;
        for (int k = 0; k <= zones; k++) {
            long z = ShapeLayout.scale(k, learned, zones);
            while (j < runs && runStart[j + 1] <= z) {
                nonHole += runState[j] != HOLE ? runStart[j + 1] - runStart[j] : 0;
                j++;
            }
            long part = j < runs && runState[j] != HOLE ? z - runStart[j] : 0;
            curve[k] = ShapeLayout.scale(nonHole + part, blocks, learned);
            zoneEnd[k] = ShapeLayout.scale(k, blocks, zones);
        }
        long x = 0;
        long placed = 0;
        int k = 0;
        boolean wantA = runState[0] != HOLE;
        long steps = 4L * (a.copyUnit.length + h.copyUnit.length) + 64;
        while (x < blocks) {
            if (--steps < 0) {
                return false;
            }
            while (zoneEnd[k + 1] <= x) {
                k++;
            }
            long room = zoneEnd[k + 1] - x;
            long need = curve[k + 1] - placed;
            long tol = (zoneEnd[k + 1] - zoneEnd[k]) / 200;
            int u;
            if (wantA) {
                // An A past the zone end gives its overflow to the next zone's data.
                long limit = need >= room ? room + nextData(curve, k) : need;
                u = a.take(pickA(a, limit + tol));
            } else {
                u = h.take(pickH(h, a, need, room, room + holeReach(zoneEnd, curve, k)));
            }
            long len = Math.min(unitLength(u), blocks - x);
            emit(u, x, len);
            x += len;
            placed += wantA ? len : 0;
            wantA = !wantA;
        }
        return true;
    }

    /**
     * Copies of each unit: r on average (systematic rounding in learned order, per kind), then
     * evened out between the kinds. A and H alternate, so a learned disk that starts and ends with
     * the same kind has r more copies of it than the walk can place; half of the surplus is taken
     * from its shortest units and half added to the other kind's shortest, round-robin, among units
     * short enough that the copies moved hold at most half a point of a zone. Moving them spreads
     * the change over the bottom of both length distributions.
     */
    private long[] copies(double r, long blocks) {
        long[] c = new long[units];
        long[] count = new long[2];
        int[] i = new int[2];
        for (int u = 0; u < units; u++) {
            int kind = unitHole[u] ? 1 : 0;
            c[u] =
                    (long) Math.floor(r * (i[kind] + 1) + 0.5)
                            - (long) Math.floor(r * i[kind] + 0.5);
            i[kind]++;
            count[kind] += c[u];
        }
        long surplus = count[0] - count[1];
        if (Math.abs(surplus) >= 2) {
            boolean moreHoles = surplus < 0;
            long half = Math.abs(surplus) / 2;
            long perCopy = Math.max(1, blocks / ShapeLayout.ZONES / 200 / half);
            shift(c, moreHoles, -half, perCopy);
            shift(c, !moreHoles, half, perCopy);
        }
        return c;
    }

    /** Adds delta copies (or removes, delta < 0) round-robin over the shortest units of a kind. */
    private void shift(long[] c, boolean hole, long delta, long perCopy) {
        Integer[] order =
                IntStream.range(0, units)
                        .filter(u -> unitHole[u] == hole && unitLength(u) <= perCopy)
                        .boxed()
                        .sorted(Comparator.comparingLong(this::unitLength))
                        .toArray(Integer[]::new);
        if (order.length == 0) {
            return;
        }
        long left = Math.abs(delta);
        long step = delta > 0 ? 1 : -1;
        boolean moved = true;
        while (left > 0 && moved) {
            moved = false;
            for (int k = 0; k < order.length && left > 0; k++) {
                if (step < 0 && c[order[k]] == 0) {
                    continue;
                }
                c[order[k]] += step;
                left--;
                moved = true;
            }
        }
    }

    /** The data the zone after k wants (none after the last). */
    private static long nextData(long[] curve, int k) {
        return k + 2 < curve.length ? curve[k + 2] - curve[k + 1] : 0;
    }

    /**
     * How far past the end of zone k a hole may reach: over the zones after it that are (almost)
     * all hole, and the hole share of the first one that is not.
     */
    private static long holeReach(long[] zoneEnd, long[] curve, int k) {
        long reach = 0;
        for (int j = k + 1; j + 1 < zoneEnd.length; j++) {
            long len = zoneEnd[j + 1] - zoneEnd[j];
            long data = curve[j + 1] - curve[j];
            reach += len - data;
            if (data > len / 100) {
                break;
            }
        }
        return reach;
    }

    /**
     * The earliest-due A that fits, unless it is tiny next to the longest that fits: a tiny run
     * costs a dense zone a hole for almost no data, and short holes are scarce (the learned disk
     * has about one per run of its dense zones); the tiny ones go between the long holes instead.
     */
    private static long pickA(Deck a, long limit) {
        if (limit <= 0) {
            return a.shortest();
        }
        Long f = a.lengths.floorKey(limit);
        if (f == null) {
            return a.shortest();
        }
        long d = a.dueAtLeast(f / TINY, limit);
        return d > 0 ? d : f;
    }

    private static long pickH(Deck h, Deck a, long need, long room, long reach) {
        if (need <= 0) {
            // Reach the zone end, but do not cover the data of the zones after it.
            Long c = h.lengths.ceilingKey(room);
            if (c != null && c <= reach) {
                return c;
            }
            Long f = h.lengths.floorKey(reach);
            return f != null ? f : h.shortest();
        }
        long hb = room - need;
        long m = Math.max(1, need / Math.max(1, a.dueLength()));
        long ideal = hb / m;
        long d = h.dueLength();
        if (d <= hb && d >= ideal / 2 && d <= ideal * 2) {
            return d;
        }
        Long lo = h.lengths.floorKey(ideal);
        Long hi = h.lengths.ceilingKey(ideal);
        if (hi != null && hi > hb) {
            hi = null;
        }
        if (lo == null && hi == null) {
            return h.shortest();
        }
        if (lo == null) {
            return hi;
        }
        if (hi == null) {
            return lo;
        }
        return ideal - lo <= hi - ideal ? lo : hi;
    }

    /** Writes the runs of unit u at x, the first len blocks of it. */
    private void emit(int u, long x, long len) {
        long s0 = unitStart[u];
        for (int r = unitRun[u]; r < unitRun[u + 1]; r++) {
            long off = runStart[r] - s0;
            if (off >= len) {
                break;
            }
            if (out == outStart.length) {
                outStart = Arrays.copyOf(outStart, out * 2);
                outState = Arrays.copyOf(outState, out * 2);
            }
            outStart[out] = x + off;
            outState[out++] = runState[r];
        }
    }

    /** The copies of one kind of unit, by due order and by length. */
    private final class Deck {
        private final boolean hole;
        private int[] copyUnit;
        private boolean[] used;
        private int next;
        private int left;

        /** Live copies by length: each queue holds copy numbers in due order. */
        final TreeMap<Long, IntQueue> lengths = new TreeMap<>();

        Deck(boolean hole, long[] copies) {
            this.hole = hole;
            fill(copies);
        }

        private void fill(long[] copies) {
            long n = 0;
            for (int u = 0; u < units; u++) {
                n += unitHole[u] == hole ? copies[u] : 0;
            }
            copyUnit = new int[(int) n];
            int c = 0;
            for (int u = 0; u < units; u++) {
                if (unitHole[u] == hole) {
                    for (long k = 0; k < copies[u]; k++) {
                        copyUnit[c++] = u;
                    }
                }
            }
            used = new boolean[c];
            next = 0;
            left = c;
            lengths.clear();
            // Copies are already in due order: units do not overlap and are in learned order.
            for (int k = 0; k < c; k++) {
                lengths.computeIfAbsent(unitLength(copyUnit[k]), l -> new IntQueue()).add(k);
            }
        }

        private void refillIfEmpty() {
            if (left == 0) {
                long[] one = new long[units];
                Arrays.fill(one, 1);
                fill(one);
            }
        }

        long shortest() {
            refillIfEmpty();
            return lengths.firstKey();
        }

        /** The length of the earliest-due copy left. */
        long dueLength() {
            refillIfEmpty();
            while (used[next]) {
                next++;
            }
            return unitLength(copyUnit[next]);
        }

        /**
         * The length of the earliest-due copy in [min, max] among the next {@link #SCAN} left, or
         * -1.
         */
        long dueAtLeast(long min, long max) {
            dueLength();
            int seen = 0;
            for (int k = next; k < copyUnit.length && seen < SCAN; k++) {
                if (used[k]) {
                    continue;
                }
                seen++;
                long len = unitLength(copyUnit[k]);
                if (len >= min && len <= max) {
                    return len;
                }
            }
            return -1;
        }

        /** Takes the earliest-due copy of the given length; returns its unit. */
        int take(long length) {
            refillIfEmpty();
            IntQueue q = lengths.get(length);
            int copy = q.poll(used);
            used[copy] = true;
            left--;
            if (q.isEmpty()) {
                lengths.remove(length);
            }
            return copyUnit[copy];
        }
    }

    /** A queue of ints. */
    private static final class IntQueue {
        private int[] items = new int[4];
        private int head;
        private int size;

        void add(int v) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = v;
        }

        /** The first item not yet used, removed. */
        int poll(boolean[] used) {
            while (used[items[head]]) {
                head++;
            }
            return items[head++];
        }

        boolean isEmpty() {
            return head == size;
        }
    }
}
