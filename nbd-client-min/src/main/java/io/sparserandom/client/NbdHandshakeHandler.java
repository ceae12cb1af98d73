package io.sparserandom.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.Promise;
import io.sparserandom.protocol.NbdInfo;
import io.sparserandom.protocol.NbdMagic;
import io.sparserandom.protocol.NbdOption;
import io.sparserandom.protocol.NbdOptionReply;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Client side of the fixed newstyle handshake, as a small state machine: greeting ->
 * EXTENDED_HEADERS (-> STRUCTURED_REPLY when refused) -> SET_META_CONTEXT -> GO (-> EXPORT_NAME
 * when GO is unsupported, never after extended headers). Completes {@code result} with the
 * negotiated {@link NbdExportInfo}; the owner then swaps this handler for the transmission-phase
 * handlers. Any failure completes the promise exceptionally and closes the channel.
 */
final class NbdHandshakeHandler extends ByteToMessageDecoder {
    /** Largest option reply we accept (a META_CONTEXT or error string is at most a few KiB). */
    static final int MAX_OPTION_REPLY = NbdMagic.MAX_STRING + 1024;

    private enum State {
        GREETING,
        EXTENDED_HEADERS,
        STRUCTURED_REPLY,
        META_CONTEXT,
        GO,
        EXPORT_NAME,
        DONE
    }

    private final String exportName;
    private final NbdClientOptions options;
    private final Promise<NbdExportInfo> result;

    private State state = State.GREETING;
    private boolean noZeroes;
    private boolean structured;
    private boolean extended;
    private int metaContextId = -1;
    private long size = -1;
    private int transmissionFlags;
    private int minBlock = 1;
    private int prefBlock = 4096;
    private long maxBlock = NbdMagic.MAX_PAYLOAD;

    NbdHandshakeHandler(
            String exportName, NbdClientOptions options, Promise<NbdExportInfo> result) {
        this.exportName = exportName;
        this.options = options;
        this.result = result;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            while (state != State.DONE && decodeOne(ctx, in)) {
                // keep going while complete messages are buffered
            }
        } catch (HandshakeFailure e) {
            fail(ctx, e.getMessage());
            in.skipBytes(in.readableBytes());
        }
    }

    /** Consumes one message if it is complete; returns false when more bytes are needed. */
    private boolean decodeOne(ChannelHandlerContext ctx, ByteBuf in) throws HandshakeFailure {
        if (state == State.GREETING) {
            if (in.readableBytes() < 18) {
                return false;
            }
            long magic = in.readLong();
            long newstyle = in.readLong();
            int flags = in.readUnsignedShort();
            if (magic != NbdMagic.NBDMAGIC) {
                throw new HandshakeFailure(
                        "not an NBD server (bad magic 0x" + Long.toHexString(magic) + ")");
            }
            if (newstyle != NbdMagic.IHAVEOPT) {
                throw new HandshakeFailure(
                        "server uses the oldstyle handshake, which is not supported");
            }
            if ((flags & NbdMagic.FLAG_FIXED_NEWSTYLE) == 0) {
                throw new HandshakeFailure("server does not support fixed newstyle negotiation");
            }
            noZeroes = (flags & NbdMagic.FLAG_NO_ZEROES) != 0;
            ByteBuf clientFlags = ctx.alloc().buffer(4);
            clientFlags.writeInt(
                    NbdMagic.CLIENT_FLAG_FIXED_NEWSTYLE
                            | (noZeroes ? NbdMagic.CLIENT_FLAG_NO_ZEROES : 0));
            ctx.write(clientFlags);
            if (options.extendedHeaders()) {
                sendOption(ctx, NbdOption.EXTENDED_HEADERS, null);
                state = State.EXTENDED_HEADERS;
            } else if (options.structuredReplies()) {
                sendOption(ctx, NbdOption.STRUCTURED_REPLY, null);
                state = State.STRUCTURED_REPLY;
            } else {
                sendGo(ctx);
            }
            ctx.flush();
            return true;
        }
        if (state == State.EXPORT_NAME) {
            int need = 10 + (noZeroes ? 0 : 124);
            if (in.readableBytes() < need) {
                return false;
            }
            size = in.readLong();
            transmissionFlags = in.readUnsignedShort();
            in.skipBytes(need - 10);
            finish(ctx, false);
            return true;
        }
        // Every other state reads one option reply.
        if (in.readableBytes() < NbdMagic.OPTION_REPLY_HEADER_SIZE) {
            return false;
        }
        int start = in.readerIndex();
        long magic = in.getLong(start);
        int option = in.getInt(start + 8);
        int type = in.getInt(start + 12);
        long length = in.getUnsignedInt(start + 16);
        if (magic != NbdMagic.OPTION_REPLY_MAGIC) {
            throw new HandshakeFailure("bad option reply magic 0x" + Long.toHexString(magic));
        }
        if (length > MAX_OPTION_REPLY) {
            throw new HandshakeFailure(
                    "option reply too large (" + length + " bytes) to " + NbdOption.name(option));
        }
        if (in.readableBytes() < NbdMagic.OPTION_REPLY_HEADER_SIZE + length) {
            return false;
        }
        in.skipBytes(NbdMagic.OPTION_REPLY_HEADER_SIZE);
        ByteBuf payload = in.readSlice((int) length);
        NbdOption expected =
                switch (state) {
                    case EXTENDED_HEADERS -> NbdOption.EXTENDED_HEADERS;
                    case STRUCTURED_REPLY -> NbdOption.STRUCTURED_REPLY;
                    case META_CONTEXT -> NbdOption.SET_META_CONTEXT;
                    default -> NbdOption.GO;
                };
        if (option != expected.wireValue()) {
            throw new HandshakeFailure(
                    "option reply for "
                            + NbdOption.name(option)
                            + " while waiting for "
                            + NbdOption.name(expected.wireValue()));
        }
        onOptionReply(ctx, type, payload);
        return true;
    }

    private void onOptionReply(ChannelHandlerContext ctx, int type, ByteBuf payload)
            throws HandshakeFailure {
        boolean error = type < 0;
        switch (state) {
            case EXTENDED_HEADERS -> {
                if (type == NbdOptionReply.ACK.wireValue()) {
                    // Extended headers take precedence over structured replies: no need to ask.
                    extended = true;
                    structured = true;
                    if (options.metaContext()) {
                        sendSetMetaContext(ctx);
                    } else {
                        sendGo(ctx);
                    }
                } else if (error) {
                    // Most servers (nbdkit among them) do not know the option: fall back.
                    sendOption(ctx, NbdOption.STRUCTURED_REPLY, null);
                    state = State.STRUCTURED_REPLY;
                } else {
                    throw new HandshakeFailure(
                            "unexpected " + NbdOptionReply.name(type) + " to EXTENDED_HEADERS");
                }
                ctx.flush();
            }
            case STRUCTURED_REPLY -> {
                if (type == NbdOptionReply.ACK.wireValue()) {
                    structured = true;
                } else if (!error) {
                    throw new HandshakeFailure(
                            "unexpected " + NbdOptionReply.name(type) + " to STRUCTURED_REPLY");
                }
                if (structured && options.metaContext()) {
                    sendSetMetaContext(ctx);
                } else {
                    sendGo(ctx);
                }
                ctx.flush();
            }
            case META_CONTEXT -> {
                if (type == NbdOptionReply.META_CONTEXT.wireValue()) {
                    if (payload.readableBytes() < 4) {
                        throw new HandshakeFailure("META_CONTEXT reply too short");
                    }
                    int id = payload.readInt();
                    String name = payload.toString(StandardCharsets.UTF_8);
                    if (name.equals(NbdMagic.BASE_ALLOCATION)) {
                        metaContextId = id;
                    }
                } else if (type == NbdOptionReply.ACK.wireValue() || error) {
                    // An error just means no block status; carry on without it.
                    sendGo(ctx);
                    ctx.flush();
                } else {
                    throw new HandshakeFailure(
                            "unexpected " + NbdOptionReply.name(type) + " to SET_META_CONTEXT");
                }
            }
            case GO -> onGoReply(ctx, type, payload);
            default -> throw new IllegalStateException(state.toString());
        }
    }

    private void onGoReply(ChannelHandlerContext ctx, int type, ByteBuf payload)
            throws HandshakeFailure {
        if (type == NbdOptionReply.INFO.wireValue()) {
            if (payload.readableBytes() < 2) {
                throw new HandshakeFailure("NBD_REP_INFO too short");
            }
            int info = payload.readUnsignedShort();
            if (info == NbdInfo.EXPORT.wireValue()) {
                if (payload.readableBytes() != 10) {
                    throw new HandshakeFailure(
                            "NBD_INFO_EXPORT has wrong length " + (payload.readableBytes() + 2));
                }
                size = payload.readLong();
                transmissionFlags = payload.readUnsignedShort();
            } else if (info == NbdInfo.BLOCK_SIZE.wireValue()) {
                if (payload.readableBytes() != 12) {
                    throw new HandshakeFailure(
                            "NBD_INFO_BLOCK_SIZE has wrong length "
                                    + (payload.readableBytes() + 2));
                }
                minBlock = payload.readInt();
                prefBlock = payload.readInt();
                maxBlock = payload.readUnsignedInt();
            }
            // Other info types (NAME, DESCRIPTION, future ones) are ignored as the spec allows.
        } else if (type == NbdOptionReply.ACK.wireValue()) {
            if (size < 0) {
                throw new HandshakeFailure(
                        "server acknowledged GO without sending NBD_INFO_EXPORT");
            }
            finish(ctx, true);
        } else if (type == NbdOptionReply.ERR_UNSUP.wireValue() && !extended) {
            // An older server: the export name option ends negotiation and has no error path.
            ByteBuf name = ctx.alloc().buffer();
            name.writeCharSequence(exportName, StandardCharsets.UTF_8);
            sendOption(ctx, NbdOption.EXPORT_NAME, name);
            ctx.flush();
            state = State.EXPORT_NAME;
        } else if (type < 0) {
            String msg = payload.toString(StandardCharsets.UTF_8);
            throw new HandshakeFailure(
                    "server refused export '"
                            + exportName
                            + "': "
                            + NbdOptionReply.name(type)
                            + (msg.isEmpty() ? "" : ": " + msg));
        } else {
            throw new HandshakeFailure("unexpected " + NbdOptionReply.name(type) + " to GO");
        }
    }

    private void sendSetMetaContext(ChannelHandlerContext ctx) {
        ByteBuf p = ctx.alloc().buffer();
        byte[] name = exportName.getBytes(StandardCharsets.UTF_8);
        byte[] query = NbdMagic.BASE_ALLOCATION.getBytes(StandardCharsets.UTF_8);
        p.writeInt(name.length)
                .writeBytes(name)
                .writeInt(1)
                .writeInt(query.length)
                .writeBytes(query);
        sendOption(ctx, NbdOption.SET_META_CONTEXT, p);
        state = State.META_CONTEXT;
    }

    private void sendGo(ChannelHandlerContext ctx) {
        ByteBuf p = ctx.alloc().buffer();
        byte[] name = exportName.getBytes(StandardCharsets.UTF_8);
        p.writeInt(name.length)
                .writeBytes(name)
                .writeShort(1)
                .writeShort(NbdInfo.BLOCK_SIZE.wireValue());
        sendOption(ctx, NbdOption.GO, p);
        state = State.GO;
    }

    private static void sendOption(ChannelHandlerContext ctx, NbdOption option, ByteBuf payload) {
        ByteBuf h = ctx.alloc().buffer(NbdMagic.OPTION_HEADER_SIZE);
        h.writeLong(NbdMagic.IHAVEOPT)
                .writeInt(option.wireValue())
                .writeInt(payload == null ? 0 : payload.readableBytes());
        ctx.write(h);
        if (payload != null) {
            ctx.write(payload);
        }
    }

    private void finish(ChannelHandlerContext ctx, boolean usedGo) {
        state = State.DONE;
        if (size < 0) {
            fail(ctx, "negative export size");
            return;
        }
        result.trySuccess(
                new NbdExportInfo(
                        size,
                        transmissionFlags,
                        minBlock,
                        prefBlock,
                        maxBlock,
                        structured,
                        structured ? metaContextId : -1,
                        usedGo,
                        extended));
    }

    private void fail(ChannelHandlerContext ctx, String message) {
        state = State.DONE;
        result.tryFailure(new NbdProtocolException("NBD handshake failed: " + message));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        result.tryFailure(
                new NbdProtocolException(
                        "server closed the connection during the handshake"
                                + (state == State.GO
                                        ? " (export '" + exportName + "' refused?)"
                                        : "")));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        result.tryFailure(new NbdProtocolException("NBD handshake failed: " + cause, cause));
        ctx.close();
    }

    private static final class HandshakeFailure extends Exception {
        HandshakeFailure(String message) {
            super(message, null, false, false);
        }
    }
}
