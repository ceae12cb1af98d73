package io.sparserandom.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.BlockSizes;
import io.sparserandom.device.Capabilities;
import io.sparserandom.device.DeviceException;
import io.sparserandom.protocol.NbdHeaders;
import io.sparserandom.protocol.NbdInfo;
import io.sparserandom.protocol.NbdMagic;
import io.sparserandom.protocol.NbdOption;
import io.sparserandom.protocol.NbdOptionReply;
import io.sparserandom.protocol.NbdReplyEncoder;
import io.sparserandom.protocol.NbdRequestDecoder;
import io.sparserandom.protocol.NbdTransmissionFlag;
import io.sparserandom.protocol.PayloadBudget;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fixed newstyle handshake, as a small state machine: client flags, then option requests until
 * GO or EXPORT_NAME succeeds. Then this handler replaces itself with the transmission phase ({@link
 * NbdRequestDecoder}, {@link NbdReplyEncoder}, {@link TransmissionHandler}) and hands over one
 * {@link Negotiated}. Every option's length is checked before its data is read.
 */
final class HandshakeHandler extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeHandler.class);

    /** Option data we read; larger options are dropped (up to {@link #MAX_DISCARD}) and refused. */
    static final int MAX_OPTION_DATA = 64 * 1024;

    /** Larger than this and we do not even skip: the peer is not speaking NBD, disconnect. */
    static final long MAX_DISCARD = 16L << 20;

    static final int MAX_OPTIONS = 1024;
    private static final int BASE_ALLOCATION_ID = 1;
    private static final NbdReplyEncoder REPLY_ENCODER = new NbdReplyEncoder();

    private enum State {
        CLIENT_FLAGS,
        OPTION_HEADER,
        OPTION_DATA,
        DISCARD,
        DONE
    }

    private final ServerConfig config;
    private final long connectionId;
    private State state = State.CLIENT_FLAGS;
    private boolean noZeroes;
    private boolean structuredReplies;

    /** NBD_OPT_EXTENDED_HEADERS was acknowledged: it takes precedence over structured replies. */
    private boolean extendedHeaders;

    private int metaContextId = -1;

    /** The export the last SET_META_CONTEXT named; its selection applies to that export only. */
    private String metaContextExport;

    private boolean tlsUp;

    /** Bytes that came in the same read as STARTTLS, after it: never trusted. */
    private boolean bytesAfterStartTls;

    private int optionCount;
    private int option;
    private long optionLength;
    private long toDiscard;
    private ScheduledFuture<?> timeout;

    HandshakeHandler(ServerConfig config, long connectionId) {
        this.config = config;
        this.connectionId = connectionId;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ByteBuf hello = ctx.alloc().buffer(18);
        hello.writeLong(NbdMagic.NBDMAGIC);
        hello.writeLong(NbdMagic.IHAVEOPT);
        hello.writeShort(NbdMagic.FLAG_FIXED_NEWSTYLE | NbdMagic.FLAG_NO_ZEROES);
        ctx.writeAndFlush(hello);
        long ms = config.handshakeTimeout().toMillis();
        timeout =
                ctx.executor()
                        .schedule(
                                () -> {
                                    LOG.warn(
                                            "connection {}: handshake not finished after {} ms, disconnecting",
                                            connectionId,
                                            ms);
                                    ctx.close();
                                },
                                ms,
                                TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimeout();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (state != State.DONE && ctx.channel().isActive()) {
            switch (state) {
                case CLIENT_FLAGS -> {
                    if (in.readableBytes() < 4) {
                        return;
                    }
                    int flags = in.readInt();
                    if ((flags
                                    & ~(NbdMagic.CLIENT_FLAG_FIXED_NEWSTYLE
                                            | NbdMagic.CLIENT_FLAG_NO_ZEROES))
                            != 0) {
                        disconnect(ctx, "unknown client flags 0x" + Integer.toHexString(flags));
                        return;
                    }
                    noZeroes = (flags & NbdMagic.CLIENT_FLAG_NO_ZEROES) != 0;
                    state = State.OPTION_HEADER;
                }
                case OPTION_HEADER -> {
                    if (in.readableBytes() < NbdMagic.OPTION_HEADER_SIZE) {
                        return;
                    }
                    long magic = in.readLong();
                    option = in.readInt();
                    optionLength = in.readUnsignedInt();
                    if (magic != NbdMagic.IHAVEOPT) {
                        disconnect(ctx, "bad option magic 0x" + Long.toHexString(magic));
                        return;
                    }
                    if (++optionCount > MAX_OPTIONS) {
                        disconnect(ctx, "more than " + MAX_OPTIONS + " options");
                        return;
                    }
                    if (optionLength > MAX_OPTION_DATA) {
                        if (optionLength > MAX_DISCARD) {
                            disconnect(
                                    ctx,
                                    NbdOption.name(option)
                                            + " with "
                                            + optionLength
                                            + " bytes of data");
                            return;
                        }
                        toDiscard = optionLength;
                        state = State.DISCARD;
                    } else {
                        state = State.OPTION_DATA;
                    }
                }
                case DISCARD -> {
                    int n = (int) Math.min(in.readableBytes(), toDiscard);
                    in.skipBytes(n);
                    toDiscard -= n;
                    if (toDiscard > 0) {
                        return;
                    }
                    LOG.info(
                            "connection {}: {} too large ({} bytes), refused",
                            connectionId,
                            NbdOption.name(option),
                            optionLength);
                    reply(ctx, option, NbdOptionReply.ERR_TOO_BIG, "option data too large");
                    state = State.OPTION_HEADER;
                }
                case OPTION_DATA -> {
                    if (in.readableBytes() < optionLength) {
                        return;
                    }
                    ByteBuf data = in.readSlice((int) optionLength);
                    state = State.OPTION_HEADER;
                    bytesAfterStartTls = in.isReadable();
                    handleOption(ctx, data);
                }
                default -> {
                    return;
                }
            }
        }
        // Bytes after GO stay in the cumulation; ByteToMessageDecoder hands them to the request
        // decoder that replaced us.
    }

    private void handleOption(ChannelHandlerContext ctx, ByteBuf data) {
        NbdOption opt = NbdOption.of(option);
        LOG.debug(
                "connection {}: {} ({} bytes)",
                connectionId,
                NbdOption.name(option),
                data.readableBytes());
        if (config.tls().required()
                && !tlsUp
                && opt != NbdOption.STARTTLS
                && opt != NbdOption.ABORT) {
            if (opt == NbdOption.EXPORT_NAME) {
                disconnect(ctx, "NBD_OPT_EXPORT_NAME before TLS, which this server requires");
            } else {
                reply(
                        ctx,
                        option,
                        NbdOptionReply.ERR_TLS_REQD,
                        "TLS is required: send NBD_OPT_STARTTLS first");
            }
            return;
        }
        if (opt == null) {
            reply(
                    ctx,
                    option,
                    NbdOptionReply.ERR_UNSUP,
                    "unknown option " + Integer.toUnsignedString(option));
            return;
        }
        switch (opt) {
            case EXPORT_NAME -> exportName(ctx, data);
            case ABORT -> {
                replyEmpty(ctx, option, NbdOptionReply.ACK)
                        .addListener(ChannelFutureListener.CLOSE);
                state = State.DONE;
            }
            case LIST -> list(ctx, data);
            case STARTTLS -> startTls(ctx, data);
            case INFO, GO -> infoOrGo(ctx, data, opt == NbdOption.GO);
            case EXTENDED_HEADERS -> extendedHeaders(ctx, data);
            case STRUCTURED_REPLY -> {
                if (extendedHeaders) {
                    // Extended headers win; the spec's answer to a downgrade attempt.
                    reply(
                            ctx,
                            option,
                            NbdOptionReply.ERR_EXT_HEADER_REQD,
                            "extended headers are already negotiated");
                } else if (data.isReadable()) {
                    reply(
                            ctx,
                            option,
                            NbdOptionReply.ERR_INVALID,
                            "NBD_OPT_STRUCTURED_REPLY takes no data");
                } else {
                    structuredReplies = true;
                    replyEmpty(ctx, option, NbdOptionReply.ACK);
                }
            }
            case LIST_META_CONTEXT, SET_META_CONTEXT ->
                    metaContext(ctx, data, opt == NbdOption.SET_META_CONTEXT);
            default ->
                    reply(
                            ctx,
                            option,
                            NbdOptionReply.ERR_UNSUP,
                            NbdOption.name(option) + " is not supported");
        }
    }

    /**
     * NBD_OPT_EXTENDED_HEADERS: from here on 32-byte requests and replies, every reply a chunk.
     * Allowed with or without structured replies before it; asking again is harmless.
     */
    private void extendedHeaders(ChannelHandlerContext ctx, ByteBuf data) {
        if (data.isReadable()) {
            reply(
                    ctx,
                    option,
                    NbdOptionReply.ERR_INVALID,
                    "NBD_OPT_EXTENDED_HEADERS takes no data");
        } else {
            extendedHeaders = true;
            replyEmpty(ctx, option, NbdOptionReply.ACK);
        }
    }

    /**
     * NBD_OPT_STARTTLS: acknowledged in clear, then TLS goes in front of everything and the option
     * haggling starts over inside it (what was agreed before is forgotten).
     */
    private void startTls(ChannelHandlerContext ctx, ByteBuf data) {
        if (!config.tls().enabled()) {
            reply(ctx, option, NbdOptionReply.ERR_POLICY, "TLS is not configured on this server");
        } else if (tlsUp) {
            reply(ctx, option, NbdOptionReply.ERR_INVALID, "TLS is already negotiated");
        } else if (data.isReadable()) {
            reply(ctx, option, NbdOptionReply.ERR_INVALID, "NBD_OPT_STARTTLS takes no data");
        } else if (bytesAfterStartTls) {
            // The client must wait for our reply before its TLS hello: these bytes are not TLS.
            disconnect(ctx, "data sent after NBD_OPT_STARTTLS before the reply");
        } else {
            replyEmpty(ctx, option, NbdOptionReply.ACK);
            ctx.pipeline().addFirst("tls", config.tls().context().newHandler(ctx.alloc()));
            tlsUp = true;
            structuredReplies = false;
            extendedHeaders = false;
            metaContextId = -1;
            metaContextExport = null;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (e.isSuccess()) {
                LOG.debug("connection {}: TLS established", connectionId);
            } else {
                LOG.warn(
                        "connection {}: TLS handshake failed: {}; disconnecting",
                        connectionId,
                        e.cause().toString());
                state = State.DONE;
                ctx.close();
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    private void list(ChannelHandlerContext ctx, ByteBuf data) {
        if (data.isReadable()) {
            reply(ctx, option, NbdOptionReply.ERR_INVALID, "NBD_OPT_LIST takes no data");
            return;
        }
        for (Export e : config.exports().list()) {
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            byte[] desc =
                    e.description() == null
                            ? new byte[0]
                            : e.description().getBytes(StandardCharsets.UTF_8);
            ByteBuf b = ctx.alloc().buffer(4 + name.length + desc.length);
            b.writeInt(name.length).writeBytes(name).writeBytes(desc);
            reply(ctx, option, NbdOptionReply.SERVER, b);
        }
        replyEmpty(ctx, option, NbdOptionReply.ACK);
    }

    /** Reads a u32-length-prefixed UTF-8 string, or null when malformed or too long. */
    private static String string32(ByteBuf data) {
        if (data.readableBytes() < 4) {
            return null;
        }
        long len = data.readUnsignedInt();
        if (len > NbdMagic.MAX_STRING || len > data.readableBytes()) {
            return null;
        }
        return data.readCharSequence((int) len, StandardCharsets.UTF_8).toString();
    }

    private void infoOrGo(ChannelHandlerContext ctx, ByteBuf data, boolean go) {
        String name = string32(data);
        if (name == null || data.readableBytes() < 2) {
            reply(ctx, option, NbdOptionReply.ERR_INVALID, "malformed " + NbdOption.name(option));
            return;
        }
        int n = data.readUnsignedShort();
        if (data.readableBytes() != n * 2) {
            reply(ctx, option, NbdOptionReply.ERR_INVALID, "malformed information request list");
            return;
        }
        List<Integer> requested = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requested.add(data.readUnsignedShort());
        }
        Export export;
        try {
            export = config.exports().resolve(name);
        } catch (ExportResolver.UnknownExportException e) {
            reply(ctx, option, NbdOptionReply.ERR_UNKNOWN, e.getMessage());
            return;
        }
        Negotiated negotiated = open(ctx, export, true);
        if (negotiated == null) {
            return;
        }
        if (!go) {
            // INFO only looked: the device is not used on this connection.
            export.factory().close(negotiated.connection());
        }
        ByteBuf info = ctx.alloc().buffer(12);
        info.writeShort(NbdInfo.EXPORT.wireValue())
                .writeLong(negotiated.size())
                .writeShort(negotiated.transmissionFlags());
        reply(ctx, option, NbdOptionReply.INFO, info);
        ByteBuf bs = ctx.alloc().buffer(14);
        BlockSizes limits = config.faults().faults().blockSizes();
        bs.writeShort(NbdInfo.BLOCK_SIZE.wireValue())
                .writeInt(limits.minimum())
                .writeInt(limits.preferred())
                .writeInt(limits.maximum());
        reply(ctx, option, NbdOptionReply.INFO, bs);
        if (requested.contains(NbdInfo.NAME.wireValue())) {
            byte[] b = export.name().getBytes(StandardCharsets.UTF_8);
            reply(
                    ctx,
                    option,
                    NbdOptionReply.INFO,
                    ctx.alloc()
                            .buffer(2 + b.length)
                            .writeShort(NbdInfo.NAME.wireValue())
                            .writeBytes(b));
        }
        if (export.description() != null && requested.contains(NbdInfo.DESCRIPTION.wireValue())) {
            byte[] b = export.description().getBytes(StandardCharsets.UTF_8);
            reply(
                    ctx,
                    option,
                    NbdOptionReply.INFO,
                    ctx.alloc()
                            .buffer(2 + b.length)
                            .writeShort(NbdInfo.DESCRIPTION.wireValue())
                            .writeBytes(b));
        }
        if (go) {
            settle(ctx); // before the client can see the ACK
        }
        replyEmpty(ctx, option, NbdOptionReply.ACK);
        if (go) {
            startTransmission(ctx, export, negotiated);
        }
    }

    private void exportName(ChannelHandlerContext ctx, ByteBuf data) {
        if (extendedHeaders) {
            // The client MUST NOT use it after extended headers, and it has no error reply.
            disconnect(ctx, "NBD_OPT_EXPORT_NAME after NBD_OPT_EXTENDED_HEADERS");
            return;
        }
        String name = data.toString(StandardCharsets.UTF_8);
        Export export;
        try {
            export = config.exports().resolve(name);
        } catch (ExportResolver.UnknownExportException e) {
            // No way to answer an error to EXPORT_NAME: the spec says to disconnect.
            disconnect(ctx, "NBD_OPT_EXPORT_NAME: " + e.getMessage());
            return;
        }
        // EXPORT_NAME has no error reply: a device that cannot open means disconnect.
        Negotiated negotiated = open(ctx, export, false);
        if (negotiated == null) {
            ctx.close();
            state = State.DONE;
            return;
        }
        settle(ctx); // before the client can see the reply
        ByteBuf b = ctx.alloc().buffer(noZeroes ? 10 : 134);
        b.writeLong(negotiated.size()).writeShort(negotiated.transmissionFlags());
        if (!noZeroes) {
            b.writeZero(124);
        }
        ctx.write(b);
        startTransmission(ctx, export, negotiated);
    }

    private Negotiated open(ChannelHandlerContext ctx, Export export, boolean replyOnError) {
        boolean serverReadOnly = config.readOnly();
        ConnectionInfo info =
                new ConnectionInfo(
                        connectionId,
                        String.valueOf(ctx.channel().remoteAddress()),
                        export.name(),
                        serverReadOnly);
        BlockDevice device;
        try {
            device = export.factory().open(info);
        } catch (DeviceException | RuntimeException e) {
            LOG.warn(
                    "connection {}: cannot open export '{}': {}",
                    connectionId,
                    export.name(),
                    e.getMessage());
            if (replyOnError) {
                reply(
                        ctx,
                        option,
                        NbdOptionReply.ERR_UNKNOWN,
                        "cannot open export: " + e.getMessage());
            }
            return null;
        }
        Capabilities caps = device.capabilities();
        boolean readOnly = serverReadOnly || !caps.writable();
        if (readOnly != serverReadOnly) {
            info = new ConnectionInfo(connectionId, info.remote(), info.exportName(), true);
        }
        // SEND_DF MUST stay clear unless structured replies or extended headers were negotiated.
        boolean chunks = structuredReplies || extendedHeaders;
        int flags = NbdTransmissionFlag.HAS_FLAGS | (chunks ? NbdTransmissionFlag.SEND_DF : 0);
        if (readOnly) {
            flags |= NbdTransmissionFlag.READ_ONLY;
        } else {
            flags |= caps.flush() ? NbdTransmissionFlag.SEND_FLUSH : 0;
            flags |= caps.fua() ? NbdTransmissionFlag.SEND_FUA : 0;
            flags |= caps.trim() ? NbdTransmissionFlag.SEND_TRIM : 0;
            flags |= caps.zero() ? NbdTransmissionFlag.SEND_WRITE_ZEROES : 0;
            flags |= caps.zero() && caps.fastZero() ? NbdTransmissionFlag.SEND_FAST_ZERO : 0;
        }
        flags |= caps.cache() ? NbdTransmissionFlag.SEND_CACHE : 0;
        flags |= caps.multiConn() ? NbdTransmissionFlag.CAN_MULTI_CONN : 0;
        boolean contextApplies =
                chunks && metaContextId >= 0 && export.name().equals(metaContextExport);
        // The payload form of BLOCK_STATUS: only with extended headers, and only worth saying when
        // there is a context to filter.
        flags |= extendedHeaders && contextApplies ? NbdTransmissionFlag.BLOCK_STATUS_PAYLOAD : 0;
        return new Negotiated(
                info,
                device,
                device.size(),
                flags,
                chunks,
                contextApplies ? metaContextId : -1,
                caps,
                extendedHeaders ? NbdHeaders.EXTENDED : NbdHeaders.COMPACT);
    }

    private void metaContext(ChannelHandlerContext ctx, ByteBuf data, boolean set) {
        if (set) {
            // SET replaces the previous selection even when it fails.
            metaContextId = -1;
            metaContextExport = null;
        }
        if (set && !structuredReplies && !extendedHeaders) {
            reply(
                    ctx,
                    option,
                    NbdOptionReply.ERR_INVALID,
                    "NBD_OPT_SET_META_CONTEXT needs structured replies or extended headers first");
            return;
        }
        String name = string32(data);
        if (name == null || data.readableBytes() < 4) {
            reply(ctx, option, NbdOptionReply.ERR_INVALID, "malformed " + NbdOption.name(option));
            return;
        }
        long queries = data.readUnsignedInt();
        List<String> list = new ArrayList<>();
        for (long i = 0; i < queries; i++) {
            String q = string32(data);
            if (q == null) {
                reply(ctx, option, NbdOptionReply.ERR_INVALID, "malformed meta context query");
                return;
            }
            list.add(q);
        }
        if (data.isReadable()) {
            reply(
                    ctx,
                    option,
                    NbdOptionReply.ERR_INVALID,
                    "trailing bytes after the meta context queries");
            return;
        }
        try {
            config.exports().resolve(name);
        } catch (ExportResolver.UnknownExportException e) {
            reply(ctx, option, NbdOptionReply.ERR_UNKNOWN, e.getMessage());
            return;
        }
        // --no-extents: base:allocation is not offered at all, so block status is not negotiated.
        boolean asked =
                set
                        ? list.contains(NbdMagic.BASE_ALLOCATION)
                        : list.isEmpty()
                                || list.contains("base:")
                                || list.contains(NbdMagic.BASE_ALLOCATION);
        boolean match = asked && config.faults().faults().baseAllocation();
        if (set) {
            metaContextId = match ? BASE_ALLOCATION_ID : -1;
            metaContextExport = name;
        }
        if (match) {
            byte[] b = NbdMagic.BASE_ALLOCATION.getBytes(StandardCharsets.US_ASCII);
            reply(
                    ctx,
                    option,
                    NbdOptionReply.META_CONTEXT,
                    ctx.alloc()
                            .buffer(4 + b.length)
                            .writeInt(set ? BASE_ALLOCATION_ID : 0)
                            .writeBytes(b));
        }
        replyEmpty(ctx, option, NbdOptionReply.ACK);
    }

    private void startTransmission(
            ChannelHandlerContext ctx, Export export, Negotiated negotiated) {
        state = State.DONE;
        ctx.channel()
                .closeFuture()
                .addListener(f -> export.factory().close(negotiated.connection()));
        cancelTimeout();
        ctx.flush();
        LOG.debug(
                "connection {}: transmission, export '{}', size {}, flags 0x{}, structured {}, meta context {}, {} headers",
                connectionId,
                negotiated.connection().exportName(),
                negotiated.size(),
                Integer.toHexString(negotiated.transmissionFlags()),
                negotiated.structuredReplies(),
                negotiated.metaContextId(),
                negotiated.headers());
        TransmissionHandler th =
                new TransmissionHandler(
                        negotiated,
                        config.listener(),
                        config.faults().faults(),
                        config.observers());
        ctx.pipeline().addAfter(ctx.name(), "nbd-transmission", th);
        if (config.faults().faults().needsHandler()) {
            ctx.pipeline()
                    .addAfter(
                            ctx.name(),
                            "nbd-faults",
                            new ServerFaultHandler(config.faults(), connectionId));
        }
        ctx.pipeline().addAfter(ctx.name(), "nbd-reply-encoder", REPLY_ENCODER);
        ctx.pipeline()
                .replace(
                        this,
                        "nbd-request-decoder",
                        new NbdRequestDecoder(
                                NbdMagic.MAX_PAYLOAD, negotiated.headers(), PayloadBudget.SHARED));
    }

    /** Past its handshake a connection keeps its slot until it closes (ConnectionLimit). */
    private static void settle(ChannelHandlerContext ctx) {
        ConnectionLimit.Slot slot = ctx.channel().attr(ConnectionLimit.SLOT).get();
        if (slot != null) {
            slot.settled();
        }
    }

    private void disconnect(ChannelHandlerContext ctx, String why) {
        LOG.warn("connection {}: {}; disconnecting", connectionId, why);
        state = State.DONE;
        ctx.close();
    }

    private io.netty.channel.ChannelFuture replyEmpty(
            ChannelHandlerContext ctx, int opt, NbdOptionReply type) {
        return reply(ctx, opt, type, ctx.alloc().buffer(0));
    }

    private void reply(ChannelHandlerContext ctx, int opt, NbdOptionReply type, String message) {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        reply(ctx, opt, type, ctx.alloc().buffer(b.length).writeBytes(b));
    }

    private io.netty.channel.ChannelFuture reply(
            ChannelHandlerContext ctx, int opt, NbdOptionReply type, ByteBuf data) {
        ByteBuf header = ctx.alloc().buffer(NbdMagic.OPTION_REPLY_HEADER_SIZE);
        header.writeLong(NbdMagic.OPTION_REPLY_MAGIC)
                .writeInt(opt)
                .writeInt(type.wireValue())
                .writeInt(data.readableBytes());
        ctx.write(header);
        return ctx.writeAndFlush(data);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection {}: {} during handshake", connectionId, cause.toString());
        ctx.close();
    }
}
