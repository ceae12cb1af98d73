package io.sparserandom.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.sparserandom.protocol.CompactingCumulator;
import io.sparserandom.protocol.NbdDecodeFailure;
import io.sparserandom.protocol.NbdHeaders;
import io.sparserandom.protocol.NbdMagic;
import java.util.List;

/**
 * Client side: bytes to {@link NbdReply} values. A simple reply does not say how much data follows
 * it, so the decoder asks {@link ReplyLengths} (the table of requests in flight) by cookie.
 *
 * <p>With extended headers negotiated every reply is a 32-byte extended chunk header (magic
 * 0x6e8a278c), whose offset must be the request's; simple and structured magics are then bad input,
 * and so is the extended magic without them.
 *
 * <p>Bad input (wrong magic, a cookie we never sent, a chunk larger than the limit) becomes one
 * {@link NbdDecodeFailure} value; after it every further byte is discarded, since the stream can no
 * longer be framed.
 */
public final class NbdReplyDecoder extends ByteToMessageDecoder {
    /**
     * Largest chunk payload by default: a full 32 MiB read plus the 8-byte offset and some slack.
     */
    public static final int DEFAULT_MAX_CHUNK_PAYLOAD = NbdMagic.MAX_PAYLOAD + 4096;

    /** What the decoder needs to know about requests in flight. */
    public interface ReplyLengths {
        /**
         * Bytes of data following a successful simple reply to this cookie, or -1 if the cookie is
         * unknown.
         */
        long simpleReplyLength(long cookie);

        /** The offset of the request in flight with this cookie, or -1 when unknown. */
        default long requestOffset(long cookie) {
            return -1;
        }
    }

    private final ReplyLengths lengths;
    private final int maxChunkPayload;
    private final long maxSimplePayload;
    private final NbdHeaders headers;
    private boolean bad;

    public NbdReplyDecoder(ReplyLengths lengths, int maxChunkPayload, long maxSimplePayload) {
        this(lengths, maxChunkPayload, maxSimplePayload, NbdHeaders.COMPACT);
    }

    public NbdReplyDecoder(
            ReplyLengths lengths, int maxChunkPayload, long maxSimplePayload, NbdHeaders headers) {
        this.lengths = lengths;
        this.maxChunkPayload = maxChunkPayload;
        this.maxSimplePayload = maxSimplePayload;
        this.headers = headers;
        // Read data arrives over several socket reads: keep them as the parts of a composite and
        // hand on a slice over them, instead of copying into one growing buffer that every payload
        // slice still in flight pins (over TCP that ran a copier out of direct memory).
        setCumulator(CompactingCumulator.INSTANCE);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (bad) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < 4) {
            return;
        }
        int start = in.readerIndex();
        int magic = in.getInt(start);
        if (headers == NbdHeaders.EXTENDED) {
            if (magic != NbdMagic.EXTENDED_REPLY_MAGIC) {
                failure(
                        in,
                        out,
                        "bad reply magic 0x"
                                + Integer.toHexString(magic)
                                + " (extended headers were negotiated)");
            } else {
                extendedChunk(ctx, in, out);
            }
        } else if (magic == NbdMagic.SIMPLE_REPLY_MAGIC) {
            if (in.readableBytes() < NbdMagic.SIMPLE_REPLY_HEADER_SIZE) {
                return;
            }
            int error = in.getInt(start + 4);
            long cookie = in.getLong(start + 8);
            long dataLength = lengths.simpleReplyLength(cookie);
            if (dataLength < 0) {
                failure(in, out, "simple reply with unknown cookie " + cookie);
                return;
            }
            if (dataLength > maxSimplePayload) {
                failure(
                        in,
                        out,
                        "simple reply data of "
                                + dataLength
                                + " bytes exceeds limit "
                                + maxSimplePayload);
                return;
            }
            long payload = error == 0 ? dataLength : 0;
            if (in.readableBytes() < NbdMagic.SIMPLE_REPLY_HEADER_SIZE + payload) {
                return;
            }
            in.skipBytes(NbdMagic.SIMPLE_REPLY_HEADER_SIZE);
            ByteBuf data = payload == 0 ? null : take(ctx, in, (int) payload);
            out.add(new NbdReply.Simple(cookie, error, data));
        } else if (magic == NbdMagic.STRUCTURED_REPLY_MAGIC) {
            if (in.readableBytes() < NbdMagic.STRUCTURED_REPLY_HEADER_SIZE) {
                return;
            }
            int flags = in.getUnsignedShort(start + 4);
            int type = in.getUnsignedShort(start + 6);
            long cookie = in.getLong(start + 8);
            long length = in.getUnsignedInt(start + 16);
            if (length > maxChunkPayload) {
                failure(
                        in,
                        out,
                        "structured reply chunk of "
                                + length
                                + " bytes exceeds limit "
                                + maxChunkPayload);
                return;
            }
            if (in.readableBytes() < NbdMagic.STRUCTURED_REPLY_HEADER_SIZE + length) {
                return;
            }
            in.skipBytes(NbdMagic.STRUCTURED_REPLY_HEADER_SIZE);
            ByteBuf payload = take(ctx, in, (int) length);
            out.add(new NbdReply.Chunk(cookie, flags, type, payload));
        } else {
            failure(in, out, "bad reply magic 0x" + Integer.toHexString(magic));
        }
    }

    private void extendedChunk(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < NbdMagic.EXTENDED_REPLY_HEADER_SIZE) {
            return;
        }
        int start = in.readerIndex();
        int flags = in.getUnsignedShort(start + 4);
        int type = in.getUnsignedShort(start + 6);
        long cookie = in.getLong(start + 8);
        long offset = in.getLong(start + 16);
        long length = in.getLong(start + 24);
        // The field is 64 bits but a reply payload never passes 32 (the spec lets a client hang
        // up on one that does).
        if (length < 0 || length > maxChunkPayload) {
            failure(
                    in,
                    out,
                    "extended reply chunk of "
                            + Long.toUnsignedString(length)
                            + " bytes exceeds limit "
                            + maxChunkPayload);
            return;
        }
        long expected = lengths.requestOffset(cookie);
        if (expected != -1 && expected != offset) {
            failure(
                    in,
                    out,
                    "extended reply to cookie "
                            + cookie
                            + " has offset "
                            + Long.toUnsignedString(offset)
                            + ", the request's is "
                            + expected);
            return;
        }
        if (in.readableBytes() < NbdMagic.EXTENDED_REPLY_HEADER_SIZE + length) {
            return;
        }
        in.skipBytes(NbdMagic.EXTENDED_REPLY_HEADER_SIZE);
        ByteBuf payload = take(ctx, in, (int) length);
        out.add(new NbdReply.Chunk(cookie, flags, type, payload));
    }

    /**
     * The next {@code length} bytes of the cumulation, handed on. Within one socket read they are a
     * slice of it, no copy. Spread over two reads (a 256 KiB reply and its header never fit in one
     * 256 KiB read), they are a composite of slices of those two read buffers themselves, not of
     * the cumulation: each slice keeps only its own read alive, and consecutive replies share the
     * read between them, so what is kept is about the data in flight. Spread over more (TCP's small
     * reads), they are copied into a buffer of their own, since slices would keep every one of
     * those reads alive, whole, for as long as the data waits to be written (that ran a copier out
     * of direct memory at twice its data in flight).
     */
    private static ByteBuf take(ChannelHandlerContext ctx, ByteBuf in, int length) {
        if (in instanceof CompositeByteBuf c && length > 0) {
            int at = c.readerIndex();
            int first = c.toComponentIndex(at);
            int last = c.toComponentIndex(at + length - 1);
            if (last == first + 1) {
                int head = c.toByteIndex(last) - at;
                // internalComponent: a duplicate whose reader index is the part's first byte.
                ByteBuf a = c.internalComponent(first);
                ByteBuf b = c.internalComponent(last);
                CompositeByteBuf parts = ctx.alloc().compositeDirectBuffer(2);
                parts.addComponent(
                        true, a.retainedSlice(a.readerIndex() + at - c.toByteIndex(first), head));
                parts.addComponent(true, b.retainedSlice(b.readerIndex(), length - head));
                c.skipBytes(length);
                return parts;
            }
            if (last != first) {
                ByteBuf copy = ctx.alloc().directBuffer(length, length);
                in.readBytes(copy, length);
                return copy;
            }
        }
        return in.readRetainedSlice(length);
    }

    private void failure(ByteBuf in, List<Object> out, String message) {
        bad = true;
        in.skipBytes(in.readableBytes());
        out.add(new NbdDecodeFailure(message));
    }
}
