package io.sparserandom.generator;

/**
 * The bytes of a data block as a pure function of the disk's seed and the block's start {@code
 * blockStart} (a multiple of 4096): either one repeated byte (never 0, so data never reads as a
 * hole) or 4096 bytes from a xoshiro256** stream seeded by {@link #blockSeed}. Implementations are
 * immutable. Whether a disk uses the repeated or the random form is chosen once, by {@link
 * DataContent}.
 *
 * <p>The seed is the block's start even for a read that starts inside the block, so the bytes do
 * not depend on how they are asked for (nbdkit seeds a partial first block with the unaligned
 * request offset; we deliberately differ there, and equal nbdkit for aligned reads).
 */
interface ContentModel {
    /** The repeated byte (1..255) of the data block at {@code blockStart}. */
    int repeatedByte(long blockStart);

    /** The xoshiro256** seed of the random content of the block at {@code blockStart}. */
    long blockSeed(long blockStart);

    /**
     * Fills {@code out[base, base + 4096)} with the random content of the block at {@code
     * blockStart}.
     */
    void fillBlock(long blockStart, byte[] out, int base);

    /**
     * Whether {@link #fillBlockInto} and {@link #mismatchInBlock} work: this model fills (or
     * checks) a block straight in a buffer as fast as through {@link #fillBlock} (or {@link
     * #fillLanes}) and a copy.
     */
    default boolean fillsInto() {
        return false;
    }

    /**
     * Fills {@code out[index, index + 4096)} (absolute indexes) with the random content of the
     * block at {@code blockStart}. Only when {@link #fillsInto()}.
     */
    default void fillBlockInto(long blockStart, java.nio.ByteBuffer out, int index) {
        throw new UnsupportedOperationException("fills through fillBlock");
    }

    /**
     * The first index {@code i} in {@code [0, 4096)} where {@code view[index + i]} (absolute
     * indexes) differs from the random content of the block at {@code blockStart}, or -1. Only when
     * {@link #fillsInto()}.
     */
    default int mismatchInBlock(long blockStart, java.nio.ByteBuffer view, int index) {
        throw new UnsupportedOperationException("compares through fillBlock");
    }

    /**
     * {@link #fillBlock} for {@link Lanes#AVAILABLE} consecutive blocks at once, one per vector
     * lane: {@code s0..s3} hold lane k's xoshiro256** state (seeded with {@link #blockSeed} of
     * block k), {@code out} receives the blocks in order, {@code outputs} is scratch (see {@link
     * LaneFill}). Only called when {@link Lanes#AVAILABLE} is not 0.
     */
    void fillLanes(long[] s0, long[] s1, long[] s2, long[] s3, byte[] out, long[] outputs);

    /** How the random content of the block at {@code blockStart} is made, for error messages. */
    String describeRandom(long blockStart);

    /** The low byte of a hash as a data block's repeated byte: 0 becomes 1. */
    static int nonZeroByte(long hash) {
        int b = (int) (hash & 0xff);
        return b == 0 ? 1 : b;
    }
}
