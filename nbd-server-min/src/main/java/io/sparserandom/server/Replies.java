package io.sparserandom.server;

import io.netty.buffer.ByteBuf;
import io.sparserandom.protocol.BlockStatusBuilder;
import io.sparserandom.protocol.NbdErrno;
import io.sparserandom.protocol.NbdReply;
import io.sparserandom.protocol.NbdRequest;

/**
 * The replies of one connection in the style it negotiated, so the transmission handler never
 * chooses a header: simple replies when nothing was negotiated, structured chunks after
 * NBD_OPT_STRUCTURED_REPLY, and after NBD_OPT_EXTENDED_HEADERS extended chunks carrying the
 * request's offset, for every reply (a simple reply is not allowed there, not even for a bare
 * success or an error) and BLOCK_STATUS_EXT instead of BLOCK_STATUS.
 */
final class Replies {
    private enum Style {
        SIMPLE,
        STRUCTURED,
        EXTENDED
    }

    private final Style style;

    Replies(Negotiated n) {
        this.style =
                n.extendedHeaders()
                        ? Style.EXTENDED
                        : n.structuredReplies() ? Style.STRUCTURED : Style.SIMPLE;
    }

    /** Success without data. */
    NbdReply ok(NbdRequest r) {
        return style == Style.SIMPLE
                ? NbdReply.Simple.ok(r.cookie())
                : framed(r, new NbdReply.None(r.cookie()));
    }

    /** A whole read in one piece (takes {@code data}). */
    NbdReply read(NbdRequest r, ByteBuf data) {
        return style == Style.SIMPLE
                ? NbdReply.Simple.read(r.cookie(), data)
                : framed(r, new NbdReply.OffsetData(r.cookie(), true, r.offset(), data));
    }

    /** One piece of a chunked read: data (takes {@code data}) or, when data is null, a hole. */
    NbdReply readChunk(NbdRequest r, boolean last, long offset, long length, ByteBuf data) {
        return framed(
                r,
                data == null
                        ? new NbdReply.OffsetHole(r.cookie(), last, offset, length)
                        : new NbdReply.OffsetData(r.cookie(), last, offset, data));
    }

    /** A builder for the block status descriptors this connection can carry. */
    BlockStatusBuilder blockStatusBuilder() {
        return style == Style.EXTENDED ? BlockStatusBuilder.extended() : new BlockStatusBuilder();
    }

    /** The one status chunk of a block status reply, from {@link #blockStatusBuilder()}. */
    NbdReply blockStatus(NbdRequest r, int contextId, BlockStatusBuilder descriptors) {
        return style == Style.EXTENDED
                ? framed(
                        r,
                        new NbdReply.BlockStatusExt(
                                r.cookie(), true, contextId, descriptors.buildExt()))
                : new NbdReply.BlockStatus(r.cookie(), true, contextId, descriptors.build());
    }

    /** An error; {@code offset} (or -1) is where in the request it happened. */
    NbdReply error(NbdRequest r, NbdErrno errno, String message, long offset) {
        if (style == Style.SIMPLE) {
            return NbdReply.Simple.error(r.cookie(), errno);
        }
        return framed(
                r,
                offset >= 0
                        ? new NbdReply.ErrorOffset(r.cookie(), true, errno, message, offset)
                        : new NbdReply.ErrorChunk(r.cookie(), true, errno, message));
    }

    private NbdReply framed(NbdRequest r, NbdReply.Chunk chunk) {
        return style == Style.EXTENDED ? new NbdReply.Extended(r.offset(), chunk) : chunk;
    }
}
