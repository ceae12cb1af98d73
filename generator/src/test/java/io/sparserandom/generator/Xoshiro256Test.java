package io.sparserandom.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Golden values pin the PRNG; the byte strings were read from nbdkit 1.32 (see each test). */
class Xoshiro256Test {

    @Test
    @SuppressWarnings("ConstantOverflow") // SplitMix64 steps wrap modulo 2^64 by design
    void splitMix64GoldenValues() {
        // The well-known first SplitMix64 outputs for seed 0.
        assertEquals(0xe220a8397b1dcdafL, Xoshiro256.mix64(Xoshiro256.GOLDEN));
        assertEquals(0x6e789e6aa1b965f4L, Xoshiro256.mix64(2 * Xoshiro256.GOLDEN));
    }

    @Test
    void xoshiroGoldenValues() {
        Xoshiro256 r = new Xoshiro256(0);
        assertEquals(0x99ec5f36cb75f2b4L, r.next());
        assertEquals(0xbf6e1f784956452aL, r.next());
        assertEquals(0x1a5f849d4933e6e0L, r.next());
        assertEquals(0x6aa594f1262d2d2cL, r.next());
        r.seed(42);
        assertEquals(0x15780b2e0c2ec716L, r.next());
        assertEquals(0x6104d9866d113a7eL, r.next());
        assertEquals(0xae17533239e499a1L, r.next());
        assertEquals(0xecb8ad4703b360a1L, r.next());
    }

    /**
     * {@code nbdkit -U - sparse-random size=8192 seed=S percent=100 random-content=true --run
     * 'nbdcopy "$uri" -' | head -c 16}: the low bytes of the first 16 outputs.
     */
    @Test
    void lowBytesMatchNbdkitRandomContent() {
        assertArrayEquals(
                HexFormat.of().parseHex("b42ae02c59ca983f313d54b59c7f9cb8"), lowBytes(0, 16));
        assertArrayEquals(
                HexFormat.of().parseHex("167ea1a16438b2877e3d7165b642cdfa"), lowBytes(42, 16));
    }

    private static byte[] lowBytes(long seed, int n) {
        Xoshiro256 r = new Xoshiro256(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.next();
        }
        return b;
    }

    @Test
    void unsignedToDoubleRoundsToNearestEven() {
        SplittableRandom rnd = new SplittableRandom(7);
        long[] edge = {
            0,
            1,
            -1,
            Long.MIN_VALUE,
            Long.MAX_VALUE,
            (1L << 53) + 1,
            -2048,
            -1025,
            -1024,
            -1023,
            0x8000000000000400L,
            0x8000000000000401L,
            0x8000000000000c00L
        };
        for (long v : edge) {
            assertEquals(exact(v), Xoshiro256.unsignedToDouble(v), Long.toUnsignedString(v));
        }
        for (int i = 0; i < 100_000; i++) {
            long v = rnd.nextLong();
            assertEquals(exact(v), Xoshiro256.unsignedToDouble(v), Long.toUnsignedString(v));
        }
    }

    private static double exact(long v) {
        BigDecimal d = new BigDecimal(new BigInteger(Long.toUnsignedString(v)));
        return d.round(new MathContext(53 * 302 / 1000 + 20, RoundingMode.HALF_EVEN)).doubleValue();
    }

    @Test
    void biasedThresholdIsTheLargestPassingValue() {
        double[] limits = {
            0,
            0.5,
            1,
            12345.678,
            0x1.0p53,
            0x1.0p53 + 2,
            4.5e15,
            0x1.0p63,
            0x1.fffffffffffffp63,
            1.0 / 4096 * 0x1.0p64,
            0.1 / 4096 / 0.9 * 0x1.0p64,
            0x1.0p64,
            1e30
        };
        for (double limit : limits) {
            long t = Xoshiro256.biasedThreshold(limit) ^ Long.MIN_VALUE; // unbiased
            assertTrue(Xoshiro256.unsignedToDouble(t) <= limit, "at " + limit);
            if (t != -1L) {
                assertTrue(Xoshiro256.unsignedToDouble(t + 1) > limit, "above " + limit);
            }
        }
        assertEquals(-1L, Xoshiro256.biasedThreshold(0x1.0p64) ^ Long.MIN_VALUE);
        assertEquals(0L, Xoshiro256.biasedThreshold(0) ^ Long.MIN_VALUE);
    }
}
