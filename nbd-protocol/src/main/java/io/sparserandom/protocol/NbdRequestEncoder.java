package io.sparserandom.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Client side: {@link NbdRequest} to bytes. The header goes in its own small buffer and the payload
 * follows as it is (no copy). With {@link NbdHeaders#EXTENDED} headers a request with a payload
 * gets {@link NbdCommandFlag#PAYLOAD_LEN} and its length is the payload's.
 */
@ChannelHandler.Sharable
public final class NbdRequestEncoder extends ChannelOutboundHandlerAdapter {
    private final NbdHeaders headers;

    public NbdRequestEncoder() {
        this(NbdHeaders.COMPACT);
    }

    public NbdRequestEncoder(NbdHeaders headers) {
        this.headers = headers;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof NbdRequest request)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf header = ctx.alloc().ioBuffer(headers.requestHeaderSize());
        if (headers == NbdHeaders.EXTENDED) {
            encodeExtendedHeader(request, header);
        } else {
            encodeHeader(request, header);
        }
        ByteBuf payload = request.payload();
        if (payload == null) {
            request.release();
            ctx.write(header, promise);
        } else {
            payload.retain();
            request.release();
            ctx.write(header, ctx.voidPromise());
            ctx.write(payload, promise);
        }
    }

    /** Writes the 28-byte request header. */
    public static void encodeHeader(NbdRequest request, ByteBuf out) {
        out.writeInt(NbdMagic.REQUEST_MAGIC);
        out.writeShort(request.flags());
        out.writeShort(request.type());
        out.writeLong(request.cookie());
        out.writeLong(request.offset());
        out.writeInt((int) request.length());
    }

    /** Writes the 32-byte extended request header. */
    public static void encodeExtendedHeader(NbdRequest request, ByteBuf out) {
        int flags = request.flags();
        if (request.payload() != null) {
            flags |= NbdCommandFlag.PAYLOAD_LEN;
        }
        out.writeInt(NbdMagic.EXTENDED_REQUEST_MAGIC);
        out.writeShort(flags);
        out.writeShort(request.type());
        out.writeLong(request.cookie());
        out.writeLong(request.offset());
        out.writeLong(request.length());
    }
}
