package io.sparserandom.disk;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Random content for several consecutive blocks at once, one block per SIMD lane: every block is
 * its own xoshiro256** stream, so the steps of eight blocks run as one vector step. {@link #fill}
 * is nbdkit's content (the low byte of one output per byte), {@link #fillWords} ours (each
 * output as 8 bytes, little-endian). Touched only through {@link Lanes}, which checks that the
 * incubating vector module is present (the launcher adds it for random content).
 */
final class LaneFill {
    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    private static final int BLOCK_SIZE = SparseRandomDisk.BLOCK_SIZE;

    private LaneFill() {}

    static int lanes() {
        return SPECIES.length();
    }

    private static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Like {@link #fill}, but every output is 8 bytes of the block (our DEFAULT content). */
    static void fillWords(long[] s0, long[] s1, long[] s2, long[] s3, byte[] out, long[] outputs) {
        int lanes = SPECIES.length();
        int steps = BLOCK_SIZE / Long.BYTES;
        generate(s0, s1, s2, s3, outputs, steps);
        for (int k = 0; k < lanes; k++) {
            int base = k * BLOCK_SIZE;
            for (int i = 0; i < steps; i++) {
                LONG_LE.set(out, base + i * Long.BYTES, outputs[i * lanes + k]);
            }
        }
    }

    /**
     * Fills {@code out[0 .. lanes * 4096)} with the blocks whose xoshiro256** states are
     * {@code s0..s3} (lane k: block k). {@code outputs} is scratch of {@code lanes * 4096} longs.
     */
    static void fill(long[] s0, long[] s1, long[] s2, long[] s3, byte[] out, long[] outputs) {
        int lanes = SPECIES.length();
        generate(s0, s1, s2, s3, outputs, BLOCK_SIZE);
        for (int k = 0; k < lanes; k++) {
            int base = k * BLOCK_SIZE;
            for (int i = 0; i < BLOCK_SIZE; i++) {
                out[base + i] = (byte) outputs[i * lanes + k];
            }
        }
    }

    /** {@code steps} xoshiro256** outputs of every lane, step-major: {@code outputs[step * lanes + lane]}. */
    private static void generate(long[] s0, long[] s1, long[] s2, long[] s3, long[] outputs, int steps) {
        int lanes = SPECIES.length();
        LongVector a = LongVector.fromArray(SPECIES, s0, 0);
        LongVector b = LongVector.fromArray(SPECIES, s1, 0);
        LongVector c = LongVector.fromArray(SPECIES, s2, 0);
        LongVector d = LongVector.fromArray(SPECIES, s3, 0);
        for (int i = 0; i < steps; i++) {
            // rotl(s1 * 5, 7) * 9, with the multiplications as shifts and adds
            LongVector m = b.add(b.lanewise(VectorOperators.LSHL, 2));
            LongVector r = m.lanewise(VectorOperators.LSHL, 7).or(m.lanewise(VectorOperators.LSHR, 57));
            r.add(r.lanewise(VectorOperators.LSHL, 3)).intoArray(outputs, i * lanes);
            LongVector t = b.lanewise(VectorOperators.LSHL, 17);
            c = c.lanewise(VectorOperators.XOR, a);
            d = d.lanewise(VectorOperators.XOR, b);
            b = b.lanewise(VectorOperators.XOR, c);
            a = a.lanewise(VectorOperators.XOR, d);
            c = c.lanewise(VectorOperators.XOR, t);
            d = d.lanewise(VectorOperators.LSHL, 45).or(d.lanewise(VectorOperators.LSHR, 19));
        }
    }
}
