package io.sparserandom.generator;

import java.util.Arrays;

/**
 * compat=nbdkit layout: nbdkit's sequential two-state Markov chain, replayed once at creation, kept
 * as the sorted list of block numbers where the state flips (no bitmap).
 *
 * <pre>
 *   P_dh, P_hd as in {@link Transitions}                    (leave DATA / HOLE after a block)
 *   rng  = xoshiro256**(seed);  state = HOLE
 *   for block i = 0, 1, ...:
 *       block i has type `state`
 *       r = rng.next()                                      (exactly one draw per block)
 *       if double(r as unsigned) <= P(state) * (double) UINT64_MAX: state = !state
 * </pre>
 *
 * The comparison is done as nbdkit does it on x86-64: r converted from unsigned 64-bit to double
 * (round to nearest even), compared with the double product. Since the conversion is monotonic we
 * precompute, per state, the largest unsigned r that passes, and the loop compares longs ({@link
 * Xoshiro256#biasedThreshold}), which is exact and keeps the loop to a handful of ALU operations
 * per block (2^28 blocks for 1 TiB).
 *
 * <p>Memory is 8 bytes per run, so about 13 k runs at 1 TiB with the defaults; a pathological
 * runlength of one block at 50 % would need 8 bytes per block (nbdkit's bitmap needs 1 bit).
 */
final class NbdkitLayout implements Layout {
    /** Largest run list kept (2 GiB of longs would not fit an array anyway). */
    static final int MAX_FLIPS = Integer.MAX_VALUE - 16;

    private final long blocks;

    /**
     * Blocks at which the type flips, strictly increasing, all in 1..blocks-1; block 0 is a hole.
     */
    private final long[] flips;

    private final int count;

    private NbdkitLayout(long blocks, long[] flips, int count) {
        this.blocks = blocks;
        this.flips = flips;
        this.count = count;
    }

    static Layout scan(DiskParams p, long blocks) {
        if (p.percent() == 0) {
            return new Uniform(blocks, false);
        }
        if (p.percent() == 100) {
            return new Uniform(blocks, true);
        }
        Transitions chain = Transitions.of(p.percent(), p.runlength());
        double uint64Max = 0x1.0p64; // (double) UINT64_MAX rounds to 2^64
        long leaveData = Xoshiro256.biasedThreshold(chain.leaveData() * uint64Max);
        long leaveHole = Xoshiro256.biasedThreshold(chain.leaveHole() * uint64Max);

        long x = p.seed();
        long s0 = Xoshiro256.mix64(x += Xoshiro256.GOLDEN);
        long s1 = Xoshiro256.mix64(x += Xoshiro256.GOLDEN);
        long s2 = Xoshiro256.mix64(x += Xoshiro256.GOLDEN);
        long s3 = Xoshiro256.mix64(x + Xoshiro256.GOLDEN);

        long[] flips = new long[64];
        int count = 0;
        boolean data = false;
        long i = 0;
        outer:
        while (true) {
            long threshold = data ? leaveData : leaveHole;
            long r;
            do {
                if (i >= blocks) {
                    break outer;
                }
                r = Long.rotateLeft(s1 * 5, 7) * 9;
                long t = s1 << 17;
                s2 ^= s0;
                s3 ^= s1;
                s1 ^= s2;
                s0 ^= s3;
                s2 ^= t;
                s3 = Long.rotateLeft(s3, 45);
                i++;
            } while ((r ^ Long.MIN_VALUE) > threshold);
            // The draw for block i-1 flipped the state: block i starts a run of the other type.
            if (i >= blocks) {
                break;
            }
            if (count == flips.length) {
                if (count >= MAX_FLIPS) {
                    throw new IllegalArgumentException(
                            "compat=nbdkit layout has more than "
                                    + MAX_FLIPS
                                    + " runs (runlength too short for this size); use the default model");
                }
                flips = Arrays.copyOf(flips, (int) Math.min(MAX_FLIPS, 2L * count));
            }
            flips[count++] = i;
            data = !data;
        }
        return new NbdkitLayout(blocks, flips, count);
    }

    /** Number of flips at or before {@code block}; its parity is the block's type (odd = data). */
    private int flipsUpTo(long block) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (flips[mid] <= block) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public long blocks() {
        return blocks;
    }

    @Override
    public boolean isData(long block) {
        return (flipsUpTo(block) & 1) == 1;
    }

    @Override
    public long runEnd(long block, long limit) {
        int n = flipsUpTo(block);
        return n < count ? flips[n] : blocks;
    }

    @Override
    public long lookaheadBlocks() {
        return blocks;
    }

    /** Number of runs (for tests and diagnostics). */
    int runs() {
        return count + 1;
    }
}
