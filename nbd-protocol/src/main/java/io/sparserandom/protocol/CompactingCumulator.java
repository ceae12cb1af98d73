package io.sparserandom.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Netty's composite cumulation (each socket read kept as a part, so a write payload is handed on
 * without a copy), except that small reads are merged: two trailing parts both shorter than {@link
 * #SMALL} become one exact-size copy. A part keeps its whole read buffer alive (512 bytes at
 * least), so a client trickling a 32 MiB payload a byte per read would otherwise make the server
 * hold hundreds of bytes per byte sent; merged, the cumulation costs about what was received.
 * Copying is bounded by {@code SMALL} bytes per read, and only small reads pay it.
 */
public final class CompactingCumulator implements ByteToMessageDecoder.Cumulator {
    public static final CompactingCumulator INSTANCE = new CompactingCumulator();

    /** Reads shorter than this are merged into a short part before them. */
    static final int SMALL = 8 * 1024;

    private CompactingCumulator() {}

    @Override
    public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        ByteBuf c = ByteToMessageDecoder.COMPOSITE_CUMULATOR.cumulate(alloc, cumulation, in);
        if (c instanceof CompositeByteBuf composite) {
            int n = composite.numComponents();
            if (n >= 2
                    && composite.internalComponent(n - 1).readableBytes() < SMALL
                    && composite.internalComponent(n - 2).readableBytes() < SMALL) {
                composite.consolidate(n - 2, 2);
            }
        }
        return c;
    }
}
