package io.sparserandom.generator;

import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Random content for several consecutive blocks at once, one block per SIMD lane: every block is
 * its own xoshiro256** stream, so the steps of eight blocks run as one vector step. {@link #fill}
 * is nbdkit's content (the low byte of one output per byte), {@link #fillWords} ours (each output
 * as 8 bytes, little-endian). Touched only through {@link Lanes}, which checks that the incubating
 * vector module is present (the launcher adds it for random content).
 *
 * <p>Both first make each block's 512 words, word-major ({@code outputs[word * lanes + lane]}),
 * then {@link #spread} them over the blocks. The two generators repeat the xoshiro256** state step
 * rather than share it: on JDK 17, C2 keeps the vectors in registers only when each loop is this
 * plain (a shared generator taking the steps per word as a parameter does not).
 */
final class LaneFill {
    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    private static final int BLOCK_SIZE = SparseRandomDisk.BLOCK_SIZE;
    private static final int WORDS = BLOCK_SIZE / Long.BYTES;

    /** Lane j of a gather in {@link #spread} reads the word j words on: {@code j * lanes}. */
    private static final int[] GATHER = gatherIndexes();

    private LaneFill() {}

    static int lanes() {
        return SPECIES.length();
    }

    /**
     * Fills {@code out[0 .. lanes * 4096)} with our DEFAULT content of the blocks whose
     * xoshiro256** states are {@code s0..s3} (lane k: block k): every output is 8 bytes of the
     * block. {@code outputs} is scratch of {@code lanes * 512} longs or more.
     */
    static void fillWords(long[] s0, long[] s1, long[] s2, long[] s3, byte[] out, long[] outputs) {
        int lanes = SPECIES.length();
        LongVector a = LongVector.fromArray(SPECIES, s0, 0);
        LongVector b = LongVector.fromArray(SPECIES, s1, 0);
        LongVector c = LongVector.fromArray(SPECIES, s2, 0);
        LongVector d = LongVector.fromArray(SPECIES, s3, 0);
        for (int i = 0; i < WORDS; i++) {
            scrambled(b).intoArray(outputs, i * lanes);
            LongVector t = b.lanewise(VectorOperators.LSHL, 17);
            c = c.lanewise(VectorOperators.XOR, a);
            d = d.lanewise(VectorOperators.XOR, b);
            b = b.lanewise(VectorOperators.XOR, c);
            a = a.lanewise(VectorOperators.XOR, d);
            c = c.lanewise(VectorOperators.XOR, t);
            d = d.lanewise(VectorOperators.LSHL, 45).or(d.lanewise(VectorOperators.LSHR, 19));
        }
        spread(outputs, out, lanes);
    }

    /**
     * Like {@link #fillWords}, but nbdkit's content: the low byte of each output. Eight outputs'
     * low bytes are packed into one word inside the vector registers (first output lowest), so what
     * is stored and spread is a long per eight bytes, not a long per byte.
     */
    static void fill(long[] s0, long[] s1, long[] s2, long[] s3, byte[] out, long[] outputs) {
        int lanes = SPECIES.length();
        LongVector a = LongVector.fromArray(SPECIES, s0, 0);
        LongVector b = LongVector.fromArray(SPECIES, s1, 0);
        LongVector c = LongVector.fromArray(SPECIES, s2, 0);
        LongVector d = LongVector.fromArray(SPECIES, s3, 0);
        for (int i = 0; i < WORDS; i++) {
            LongVector word = LongVector.zero(SPECIES);
            for (int j = 0; j < Long.BYTES; j++) {
                word =
                        word.lanewise(VectorOperators.LSHR, 8)
                                .or(scrambled(b).lanewise(VectorOperators.LSHL, 56));
                LongVector t = b.lanewise(VectorOperators.LSHL, 17);
                c = c.lanewise(VectorOperators.XOR, a);
                d = d.lanewise(VectorOperators.XOR, b);
                b = b.lanewise(VectorOperators.XOR, c);
                a = a.lanewise(VectorOperators.XOR, d);
                c = c.lanewise(VectorOperators.XOR, t);
                d = d.lanewise(VectorOperators.LSHL, 45).or(d.lanewise(VectorOperators.LSHR, 19));
            }
            word.intoArray(outputs, i * lanes);
        }
        spread(outputs, out, lanes);
    }

    /**
     * The xoshiro256** output of state word s1: rotl(s1 * 5, 7) * 9, multiplying by shifts and
     * adds.
     */
    private static LongVector scrambled(LongVector s1) {
        LongVector m = s1.add(s1.lanewise(VectorOperators.LSHL, 2));
        LongVector r = m.lanewise(VectorOperators.LSHL, 7).or(m.lanewise(VectorOperators.LSHR, 57));
        return r.add(r.lanewise(VectorOperators.LSHL, 3));
    }

    /**
     * {@code out[k * 4096 + 8 * i ..]} = {@code outputs[i * lanes + k]}, little-endian: each gather
     * collects one block's next {@code lanes} words, stored in one go.
     */
    private static void spread(long[] outputs, byte[] out, int lanes) {
        int[] gather = GATHER;
        for (int k = 0; k < lanes; k++) {
            int base = k * BLOCK_SIZE;
            for (int i = 0; i < WORDS; i += lanes) {
                LongVector.fromArray(SPECIES, outputs, i * lanes + k, gather, 0)
                        .intoByteArray(out, base + i * Long.BYTES, ByteOrder.LITTLE_ENDIAN);
            }
        }
    }

    private static int[] gatherIndexes() {
        int[] g = new int[SPECIES.length()];
        for (int j = 0; j < g.length; j++) {
            g[j] = j * g.length;
        }
        return g;
    }
}
