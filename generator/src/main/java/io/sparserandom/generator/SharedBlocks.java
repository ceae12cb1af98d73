package io.sparserandom.generator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * Read-only blocks shared by every disk and thread: one 4 KiB block per byte value (as a heap array
 * and as a direct buffer) and 1 MiB of zeroes. Zero-copy read replies are composites of slices of
 * these, so nothing is filled per request and the kernel copies straight from them.
 *
 * <p>The direct buffers are unreleasable: a reply may hold the same buffer many times and each
 * release by a caller does nothing. Nothing may write to any of them.
 */
final class SharedBlocks {
    static final int BLOCK_SIZE = SparseRandomDisk.BLOCK_SIZE;

    /** The longest slice {@link #zeroes} hands out. */
    static final int MAX_ZEROES = 1 << 20;

    private static final byte[][] REPEATED = new byte[256][];
    private static final ByteBuf[] BLOCKS = new ByteBuf[256];
    private static final ByteBuf ZEROES =
            Unpooled.unreleasableBuffer(
                    Unpooled.directBuffer(MAX_ZEROES, MAX_ZEROES).writeZero(MAX_ZEROES));

    static {
        for (int v = 0; v < 256; v++) {
            byte[] b = new byte[BLOCK_SIZE];
            Arrays.fill(b, (byte) v);
            REPEATED[v] = b;
            BLOCKS[v] =
                    Unpooled.unreleasableBuffer(
                            Unpooled.directBuffer(BLOCK_SIZE, BLOCK_SIZE).writeBytes(b));
        }
    }

    private SharedBlocks() {}

    /** 4096 copies of {@code value} (0..255) on the heap; read it by absolute index only. */
    static byte[] repeated(int value) {
        return REPEATED[value];
    }

    /** 4096 copies of {@code value} (0..255) in direct memory, readable 4096 bytes from index 0. */
    static ByteBuf block(int value) {
        return BLOCKS[value];
    }

    /** {@code length} (1..{@link #MAX_ZEROES}) zero bytes in direct memory. */
    static ByteBuf zeroes(int length) {
        return ZEROES.slice(0, length);
    }
}
