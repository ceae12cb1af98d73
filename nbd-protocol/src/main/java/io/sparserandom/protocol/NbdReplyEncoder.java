package io.sparserandom.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Server side: {@link NbdReply} to bytes. The header and every fixed field go in one small buffer;
 * read data follows as the reply's own buffer (no copy), the way the request encoder sends a
 * write's payload. Other messages pass through untouched.
 */
@ChannelHandler.Sharable
public final class NbdReplyEncoder extends ChannelOutboundHandlerAdapter {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof NbdReply reply)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf header;
        try {
            header = encodeHeader(reply, ctx.alloc());
        } catch (RuntimeException e) {
            reply.release();
            promise.tryFailure(e);
            return;
        }
        ByteBuf payload = reply.payload();
        if (payload == null) {
            ctx.write(header, promise);
        } else {
            // The caller's promise completes with the last part; both parts fail together anyway.
            ctx.write(header, promise.isVoid() ? promise : ctx.newPromise());
            ctx.write(payload, promise);
        }
    }

    /**
     * The reply as buffers in {@code out}: its header, then its payload if it has one (handed
     * over).
     */
    public static void encode(NbdReply reply, ByteBufAllocator alloc, List<Object> out) {
        ByteBuf header;
        try {
            header = encodeHeader(reply, alloc);
        } catch (RuntimeException e) {
            reply.release();
            throw e;
        }
        out.add(header);
        if (reply.payload() != null) {
            out.add(reply.payload());
        }
    }

    /** Everything of the reply but its payload, in one new direct buffer. */
    public static ByteBuf encodeHeader(NbdReply reply, ByteBufAllocator alloc) {
        if (reply instanceof NbdReply.Simple s) {
            ByteBuf h = alloc.directBuffer(NbdMagic.SIMPLE_REPLY_HEADER_SIZE);
            return h.writeInt(NbdMagic.SIMPLE_REPLY_MAGIC)
                    .writeInt(s.error() == null ? 0 : s.error().wireValue())
                    .writeLong(s.cookie());
        }
        if (reply instanceof NbdReply.Extended e) {
            if (e.chunk() instanceof NbdReply.BlockStatus) {
                throw new IllegalArgumentException(
                        "BLOCK_STATUS is not allowed with extended headers: use BLOCK_STATUS_EXT");
            }
            return encodeChunk(alloc, e.chunk(), new Header(true, e.requestOffset()));
        }
        NbdReply.Chunk c = (NbdReply.Chunk) reply;
        if (c instanceof NbdReply.BlockStatusExt) {
            throw new IllegalArgumentException(
                    "BLOCK_STATUS_EXT is only allowed with extended headers");
        }
        return encodeChunk(alloc, c, new Header(false, 0));
    }

    /** Which chunk header to write: structured (20 bytes) or extended (32, with the offset). */
    private record Header(boolean extended, long requestOffset) {
        int size() {
            return extended
                    ? NbdMagic.EXTENDED_REPLY_HEADER_SIZE
                    : NbdMagic.STRUCTURED_REPLY_HEADER_SIZE;
        }
    }

    private static ByteBuf encodeChunk(ByteBufAllocator alloc, NbdReply.Chunk c, Header header) {
        if (c instanceof NbdReply.OffsetData d) {
            return chunkHeader(alloc, c, header, 8, 8L + d.data().readableBytes())
                    .writeLong(d.offset());
        } else if (c instanceof NbdReply.OffsetHole hole) {
            return chunkHeader(alloc, c, header, 12, 12)
                    .writeLong(hole.offset())
                    .writeInt((int) hole.length());
        } else if (c instanceof NbdReply.None) {
            return chunkHeader(alloc, c, header, 0, 0);
        } else if (c instanceof NbdReply.BlockStatus b) {
            int length = 4 + 8 * b.descriptors().size();
            ByteBuf h = chunkHeader(alloc, c, header, length, length).writeInt(b.contextId());
            for (NbdReply.Descriptor d : b.descriptors()) {
                h.writeInt((int) d.length()).writeInt(d.flags());
            }
            return h;
        } else if (c instanceof NbdReply.BlockStatusExt b) {
            int count = b.descriptors().size();
            int length = 8 + 16 * count;
            ByteBuf h =
                    chunkHeader(alloc, c, header, length, length)
                            .writeInt(b.contextId())
                            .writeInt(count);
            for (NbdReply.ExtDescriptor d : b.descriptors()) {
                h.writeLong(d.length()).writeLong(d.flags());
            }
            return h;
        } else if (c instanceof NbdReply.ErrorChunk e) {
            return error(alloc, c, header, e.error(), e.message(), false, 0);
        } else if (c instanceof NbdReply.ErrorOffset e) {
            return error(alloc, c, header, e.error(), e.message(), true, e.offset());
        }
        throw new IllegalArgumentException(
                "unknown reply " + c); // unreachable: the interface is sealed
    }

    /**
     * The chunk header, in a buffer with room for {@code fixed} more bytes; {@code length} is the
     * chunk's.
     */
    private static ByteBuf chunkHeader(
            ByteBufAllocator alloc, NbdReply.Chunk c, Header header, int fixed, long length) {
        if (length > 0xFFFF_FFFFL) {
            // Extended headers have a 64-bit field, but no reply payload may pass the 32-bit
            // maximum payload of NBD_INFO_BLOCK_SIZE.
            throw new IllegalArgumentException(c.type() + " chunk of " + length + " bytes");
        }
        ByteBuf h = alloc.directBuffer(header.size() + fixed);
        int flags = c.done() ? NbdReplyType.FLAG_DONE : 0;
        if (header.extended()) {
            return h.writeInt(NbdMagic.EXTENDED_REPLY_MAGIC)
                    .writeShort(flags)
                    .writeShort(c.type().wireValue())
                    .writeLong(c.cookie())
                    .writeLong(header.requestOffset())
                    .writeLong(length);
        }
        return h.writeInt(NbdMagic.STRUCTURED_REPLY_MAGIC)
                .writeShort(flags)
                .writeShort(c.type().wireValue())
                .writeLong(c.cookie())
                .writeInt((int) length);
    }

    private static ByteBuf error(
            ByteBufAllocator alloc,
            NbdReply.Chunk c,
            Header header,
            NbdErrno errno,
            String message,
            boolean withOffset,
            long offset) {
        byte[] text = (message == null ? errno.name() : message).getBytes(StandardCharsets.UTF_8);
        int len = Math.min(text.length, NbdReply.MAX_MESSAGE);
        while (len < text.length && len > 0 && (text[len] & 0xC0) == 0x80) {
            len--; // never cut a UTF-8 character in two
        }
        int length = 6 + len + (withOffset ? 8 : 0);
        ByteBuf h = chunkHeader(alloc, c, header, length, length);
        h.writeInt(errno.wireValue()).writeShort(len).writeBytes(text, 0, len);
        if (withOffset) {
            h.writeLong(offset);
        }
        return h;
    }
}
