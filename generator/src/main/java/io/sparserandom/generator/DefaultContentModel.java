package io.sparserandom.generator;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The default content: every block hashed from the seed and its index, so any block is made on its
 * own, and random content takes 8 bytes from each xoshiro256** output (an eighth of nbdkit's
 * draws).
 *
 * <pre>
 *   h = mix64(contentKey + (off / 4096) * GOLDEN),  contentKey = mix64(seed ^ CONTENT_SALT)
 *   repeated byte : b = h & 0xff, 0 -> 1; b x 4096
 *   random        : 512 outputs of xoshiro256**(h), each stored as 8 bytes little-endian
 * </pre>
 */
final class DefaultContentModel implements ContentModel {
    private static final long CONTENT_SALT = 0xc0417e47c0417e47L;
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BUFFER_LONG_LE =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long contentKey;

    DefaultContentModel(long seed) {
        this.contentKey = Xoshiro256.mix64(seed ^ CONTENT_SALT);
    }

    @Override
    public int repeatedByte(long blockStart) {
        return ContentModel.nonZeroByte(blockSeed(blockStart));
    }

    /** The block hash h. */
    @Override
    public long blockSeed(long blockStart) {
        return Xoshiro256.mix64(
                contentKey + (blockStart >>> SparseRandomDisk.BLOCK_SHIFT) * Xoshiro256.GOLDEN);
    }

    @Override
    public void fillBlock(long blockStart, byte[] out, int base) {
        Xoshiro256 g = new Xoshiro256(blockSeed(blockStart));
        for (int i = 0; i < SparseRandomDisk.BLOCK_SIZE; i += Long.BYTES) {
            LONG_LE.set(out, base + i, g.next());
        }
    }

    @Override
    public boolean fillsInto() {
        return true;
    }

    /**
     * Straight into the reply buffer: one 8-byte store per output, where generating into the
     * scratch first cost a second copy of every byte (16 % of a random-content read's server
     * samples in a profile).
     */
    @Override
    public void fillBlockInto(long blockStart, ByteBuffer out, int index) {
        Xoshiro256 g = new Xoshiro256(blockSeed(blockStart));
        int end = index + SparseRandomDisk.BLOCK_SIZE;
        for (int i = index; i < end; i += Long.BYTES) {
            BUFFER_LONG_LE.set(out, i, g.next());
        }
    }

    /** Compared as generated, a word at a time: the expected bytes are never stored. */
    @Override
    public int mismatchInBlock(long blockStart, ByteBuffer view, int index) {
        Xoshiro256 g = new Xoshiro256(blockSeed(blockStart));
        for (int i = 0; i < SparseRandomDisk.BLOCK_SIZE; i += Long.BYTES) {
            long diff = (long) BUFFER_LONG_LE.get(view, index + i) ^ g.next();
            if (diff != 0) {
                // Little-endian: the lowest differing bit is in the first differing byte.
                return i + (Long.numberOfTrailingZeros(diff) >>> 3);
            }
        }
        return -1;
    }

    @Override
    public void fillLanes(long[] s0, long[] s1, long[] s2, long[] s3, byte[] out, long[] outputs) {
        LaneFill.fillWords(s0, s1, s2, s3, out, outputs);
    }

    @Override
    public String describeRandom(long blockStart) {
        return String.format(
                "xoshiro256** seeded with block hash 0x%016x, 8 bytes LE per output",
                blockSeed(blockStart));
    }
}
