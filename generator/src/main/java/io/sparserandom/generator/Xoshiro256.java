package io.sparserandom.generator;

/**
 * xoshiro256** 1.0 seeded from one 64-bit value by SplitMix64, with the same arithmetic as nbdkit's
 * {@code common/include/random.h} (xsrandom / xrandom), so that compat mode reproduces nbdkit's
 * bytes. Java longs wrap exactly like C's uint64_t; only shifts right must be unsigned.
 *
 * <p>Seeding: a SplitMix64 counter starts at the seed; each of the four state words is the next
 * SplitMix64 output (counter += 0x9e3779b97f4a7c15, then the mixing function {@link #mix64}).
 *
 * <p>Not thread-safe: one instance per thread (or per call) and reseed it with {@link #seed}. Hot
 * loops inline the same steps on local variables.
 */
final class Xoshiro256 {
    static final long GOLDEN = 0x9e3779b97f4a7c15L;

    private long s0, s1, s2, s3;

    Xoshiro256(long seed) {
        seed(seed);
    }

    /** Resets the state exactly as xsrandom(seed). */
    void seed(long seed) {
        long x = seed;
        x += GOLDEN;
        s0 = mix64(x);
        x += GOLDEN;
        s1 = mix64(x);
        x += GOLDEN;
        s2 = mix64(x);
        x += GOLDEN;
        s3 = mix64(x);
    }

    /** Puts the state into lane {@code k} of per-lane state arrays (for {@link LaneFill}). */
    void stateInto(long[] a, long[] b, long[] c, long[] d, int k) {
        a[k] = s0;
        b[k] = s1;
        c[k] = s2;
        d[k] = s3;
    }

    /** The next output, as xrandom. */
    long next() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** A uniform double in the open interval (0, 1), from the top 53 bits of one output. */
    double nextOpenUnit() {
        return ((next() >>> 11) + 0.5) * 0x1.0p-53;
    }

    /** The SplitMix64 output function (a good 64-bit finaliser on its own). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** C's (double) conversion of an unsigned 64-bit value, round to nearest even. */
    static double unsignedToDouble(long r) {
        if (r >= 0) {
            return (double) r;
        }
        // Halve, keeping the lost bit as a sticky bit so the single rounding stays correct.
        return ((double) ((r >>> 1) | (r & 1))) * 2.0;
    }

    /**
     * The largest unsigned r with {@code unsignedToDouble(r) <= limit}, returned biased ({@code r ^
     * Long.MIN_VALUE}) so that the hot loop tests {@code (x ^ MIN_VALUE) <= t} with one signed
     * compare instead of converting every draw to double. Exact because the conversion is
     * monotonic: {r : double(r) <= limit} is a prefix of 0..2^64-1. Requires limit >= 0.
     */
    static long biasedThreshold(double limit) {
        if (!(limit >= 0)) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        if (limit >= 0x1.0p64) {
            return Long.MAX_VALUE; // every r: (2^64 - 1) ^ MIN_VALUE
        }
        // Binary search over unsigned values: lo satisfies, hi does not.
        long lo = 0; // double(0) = 0 <= limit
        long hi = -1L; // 2^64 - 1 converts to 2^64 > limit
        while (Long.compareUnsigned(hi - lo, 1) > 0) {
            long mid = lo + ((hi - lo) >>> 1);
            if (unsignedToDouble(mid) <= limit) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo ^ Long.MIN_VALUE;
    }
}
