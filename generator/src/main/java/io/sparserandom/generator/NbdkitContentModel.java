package io.sparserandom.generator;

/**
 * compat=nbdkit content: byte for byte nbdkit's sparse-random plugin for aligned reads.
 *
 * <pre>
 *   repeated byte : b = xoshiro256**(seed + off).next() & 0xff, 0 -> 1; b x 4096
 *   random        : 4096 outputs of xoshiro256**(seed + off), low 8 bits each, in order
 * </pre>
 */
final class NbdkitContentModel implements ContentModel {
    private final long seed;

    NbdkitContentModel(long seed) {
        this.seed = seed;
    }

    @Override
    @SuppressWarnings("ConstantOverflow") // SplitMix64 steps wrap modulo 2^64 by design
    public int repeatedByte(long blockStart) {
        // The first xoshiro256** output only needs s1, the second SplitMix64 output.
        long s1 = Xoshiro256.mix64(seed + blockStart + 2 * Xoshiro256.GOLDEN);
        return ContentModel.nonZeroByte(Long.rotateLeft(s1 * 5, 7) * 9);
    }

    @Override
    public long blockSeed(long blockStart) {
        return seed + blockStart;
    }

    @Override
    public void fillBlock(long blockStart, byte[] out, int base) {
        Xoshiro256 g = new Xoshiro256(blockSeed(blockStart));
        for (int i = 0; i < SparseRandomDisk.BLOCK_SIZE; i++) {
            out[base + i] = (byte) g.next();
        }
    }

    @Override
    public void fillLanes(long[] s0, long[] s1, long[] s2, long[] s3, byte[] out, long[] outputs) {
        LaneFill.fill(s0, s1, s2, s3, out, outputs);
    }

    @Override
    public String describeRandom(long blockStart) {
        return String.format(
                "xoshiro256** seeded with seed+offset 0x%x, low byte of each output",
                blockSeed(blockStart));
    }
}
