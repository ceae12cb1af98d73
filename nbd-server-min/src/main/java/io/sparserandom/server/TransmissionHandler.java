package io.sparserandom.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.Errno;
import io.sparserandom.device.IoFlags;
import io.sparserandom.protocol.BlockStatusBuilder;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdCommandFlag;
import io.sparserandom.protocol.NbdDecodeFailure;
import io.sparserandom.protocol.NbdErrno;
import io.sparserandom.protocol.NbdMagic;
import io.sparserandom.protocol.NbdReply;
import io.sparserandom.protocol.NbdRequest;
import io.sparserandom.protocol.NbdTransmissionFlag;
import io.sparserandom.protocol.ReadPause;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transmission phase: validates each request once (the only place that answers EINVAL, ENOSPC
 * or EPERM for bad requests), calls the device, and writes the reply as an {@link NbdReply} value
 * (the {@code NbdReplyEncoder} before it in the pipeline makes the bytes). A failing request never
 * closes the connection. Device calls run on the connection's event loop (our devices are in-memory
 * and fast); replies are flushed once per read batch, and reading stops while the channel is not
 * writable so a client that does not read its replies is throttled, not buffered.
 */
final class TransmissionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TransmissionHandler.class);

    /** Descriptors in one block status reply. */
    static final int MAX_DESCRIPTORS = 1024;

    /** Chunks in one structured read reply before the rest is sent as data. */
    private static final int MAX_READ_CHUNKS = 64;

    private final Negotiated n;
    private final ServerFaults faults;
    private final BlockDevice device;
    private final ServerListener listener;
    private final ConnectionInfo conn;
    private final TransmissionObserver observer;
    private final Replies replies;
    private boolean disconnecting;
    private final ArrayList<NbdCommand> unflushed = new ArrayList<>();
    private final ArrayList<Observed> unannounced = new ArrayList<>();

    /** Requests that arrived while the channel was not writable, answered in order once it is. */
    private final ArrayDeque<NbdRequest> pending = new ArrayDeque<>();

    TransmissionHandler(
            Negotiated negotiated,
            ServerListener listener,
            ServerFaults faults,
            TransmissionObserver.Factory observers) {
        this.faults = faults;
        this.n = negotiated;
        this.device = negotiated.device();
        this.listener = listener;
        this.conn = negotiated.connection();
        this.observer = observers.open(conn, negotiated.transmissionFlags());
        this.replies = new Replies(negotiated);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof NbdDecodeFailure f) {
            LOG.warn("connection {}: {}; disconnecting", conn.id(), f.message());
            disconnecting = true;
            announce();
            ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (!(msg instanceof NbdRequest r)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (disconnecting) {
            r.release();
            return;
        }
        if (!pending.isEmpty() || !ctx.channel().isWritable()) {
            // Replies are piling up unsent: park the request (it is small, or a bounded write) and
            // stop reading until the client drains its socket.
            pending.add(r);
            ReadPause.REPLIES.pause(ctx.channel());
            return;
        }
        try {
            handle(ctx, r);
        } finally {
            r.release();
        }
    }

    /** Answers parked requests while the channel stays writable. */
    private void drain(ChannelHandlerContext ctx) {
        NbdRequest r;
        while (ctx.channel().isWritable() && (r = pending.poll()) != null) {
            try {
                if (!disconnecting) {
                    handle(ctx, r);
                }
            } finally {
                r.release();
            }
        }
        announce();
        ctx.flush();
        flushed();
        if (pending.isEmpty() && ctx.channel().isWritable() && !disconnecting) {
            ReadPause.REPLIES.resume(ctx.channel());
        }
    }

    private void releasePending() {
        NbdRequest r;
        while ((r = pending.poll()) != null) {
            r.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releasePending();
        announce(); // as good as sent: the client can no longer wait for them
        flushed(); // keep the listener's in-flight count balanced when the client vanishes
        observer.closed();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePending();
    }

    private void handle(ChannelHandlerContext ctx, NbdRequest r) {
        NbdCommand cmd = r.command();
        listener.requestStarted(conn, cmd, r.offset(), r.length());
        if (observer != TransmissionObserver.NONE) {
            observer.requestArrived(cmd, r.offset(), r.length());
        }
        if (cmd == NbdCommand.DISC) {
            LOG.debug("connection {}: disconnect requested", conn.id());
            disconnecting = true;
            announce();
            ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
            listener.requestFinished(conn, cmd);
            return;
        }
        // With extended headers the length is 64 bits; the block status payload form carries it.
        BlockStatusPayload bsp =
                cmd == NbdCommand.BLOCK_STATUS && r.payload() != null
                        ? BlockStatusPayload.parse(r.payload(), n.metaContextId())
                        : null;
        long length = bsp != null ? bsp.effectLength() : r.length();
        Rejection rejected = validate(r, cmd, length);
        if (rejected == null && bsp != null && bsp.problem() != null) {
            rejected = invalid(bsp.problem());
        }
        // Under the disconnect policy a request over the limits drops the connection even when
        // it is invalid for another reason too (a write over 32M, as qemu-nbd does).
        String why =
                faults.enforcement() == ServerFaults.Enforcement.NONE || cmd == null
                        ? null
                        : blockSizeViolation(r, cmd, length);
        if (why != null && faults.enforcement() == ServerFaults.Enforcement.DISCONNECT) {
            LOG.warn("connection {}: {} {}; disconnecting", conn.id(), cmd, why);
            disconnecting = true;
            ctx.close();
            listener.requestFinished(conn, cmd);
            return;
        }
        if (rejected == null && why != null) {
            rejected = invalid(why);
        }
        if (rejected != null) {
            error(ctx, r, cmd, rejected.errno(), rejected.message(), -1);
            return;
        }
        try {
            switch (cmd) {
                case READ -> read(ctx, r);
                case WRITE -> {
                    device.write(r.offset(), r.payload(), deviceFlags(r));
                    ok(ctx, r);
                }
                case WRITE_ZEROES -> {
                    int flags = deviceFlags(r);
                    if (!r.hasFlag(NbdCommandFlag.NO_HOLE)) {
                        flags |= IoFlags.MAY_TRIM;
                    }
                    if (r.hasFlag(NbdCommandFlag.FAST_ZERO)) {
                        flags |= IoFlags.FAST_ZERO;
                    }
                    device.zero(r.offset(), length, flags);
                    ok(ctx, r);
                }
                case TRIM -> {
                    device.trim(r.offset(), length, deviceFlags(r));
                    ok(ctx, r);
                }
                case FLUSH -> {
                    device.flush(0);
                    ok(ctx, r);
                }
                case CACHE -> {
                    device.cache(r.offset(), length, 0);
                    ok(ctx, r);
                }
                case BLOCK_STATUS -> blockStatus(ctx, r, length);
                default -> error(ctx, r, cmd, NbdErrno.EINVAL, "unsupported command", -1);
            }
        } catch (DeviceException e) {
            // An offset only inside the request's range: FLUSH has none, so never ERROR_OFFSET for
            // it.
            long at =
                    e.hasOffset()
                                    && e.offset() >= r.offset()
                                    && Long.compareUnsigned(e.offset() - r.offset(), length) < 0
                            ? e.offset()
                            : -1;
            error(ctx, r, cmd, wire(e.errno()), e.getMessage(), at);
        } catch (RuntimeException e) {
            LOG.error("connection {}: {} failed unexpectedly", conn.id(), r, e);
            error(ctx, r, cmd, NbdErrno.EIO, "internal error: " + e, -1);
        } catch (OutOfMemoryError e) {
            // The launcher caps heap and direct memory: past the cap a request fails, the server
            // and the connection stay.
            LOG.debug("connection {}: {}: {}", conn.id(), r, e.toString());
            error(ctx, r, cmd, NbdErrno.ENOMEM, "out of memory: " + e.getMessage(), -1);
        }
    }

    /**
     * The one place requests are checked against the spec and the negotiated flags, and the one
     * place that chooses the errno for a bad request. Null when fine.
     */
    private Rejection validate(NbdRequest r, NbdCommand cmd, long length) {
        if (cmd == null || cmd == NbdCommand.RESIZE) {
            return invalid("unknown command " + r.type());
        }
        int flags = r.flags();
        boolean extended = n.extendedHeaders();
        if ((flags & ~(extended ? NbdCommandFlag.KNOWN_EXTENDED : NbdCommandFlag.KNOWN)) != 0) {
            return invalid("unknown flags 0x" + Integer.toHexString(flags));
        }
        // The spec makes FUA valid on every command once SEND_FUA is negotiated (clients are known
        // to set it on reads and flushes); it only matters where data is written.
        int allowed =
                NbdCommandFlag.FUA
                        | switch (cmd) {
                            case READ -> NbdCommandFlag.DF;
                            case WRITE_ZEROES -> NbdCommandFlag.NO_HOLE | NbdCommandFlag.FAST_ZERO;
                            case BLOCK_STATUS -> NbdCommandFlag.REQ_ONE | payloadFormFlag();
                            case WRITE -> extended ? NbdCommandFlag.PAYLOAD_LEN : 0;
                            default -> 0;
                        };
        if ((flags & ~allowed) != 0) {
            return invalid("flags 0x" + Integer.toHexString(flags) + " not valid for " + cmd);
        }
        if (extended && cmd == NbdCommand.WRITE && (flags & NbdCommandFlag.PAYLOAD_LEN) == 0) {
            return invalid("NBD_CMD_WRITE without PAYLOAD_LEN (extended headers)");
        }
        if ((flags & NbdCommandFlag.FUA) != 0 && !n.hasFlag(NbdTransmissionFlag.SEND_FUA)) {
            return invalid("FUA was not negotiated");
        }
        if ((flags & NbdCommandFlag.DF) != 0 && !n.structuredReplies()) {
            return invalid("DF needs structured replies or extended headers");
        }
        if ((flags & NbdCommandFlag.FAST_ZERO) != 0
                && !n.hasFlag(NbdTransmissionFlag.SEND_FAST_ZERO)) {
            return invalid("FAST_ZERO was not negotiated");
        }
        boolean writeLike =
                cmd == NbdCommand.WRITE || cmd == NbdCommand.WRITE_ZEROES || cmd == NbdCommand.TRIM;
        if (writeLike && conn.readOnly()) {
            return new Rejection(NbdErrno.EPERM, "read-only export");
        }
        if (cmd == NbdCommand.WRITE && r.payloadDropped()) {
            return invalid(
                    "write of "
                            + r.length()
                            + " bytes is larger than the maximum "
                            + NbdMagic.MAX_PAYLOAD);
        }
        switch (cmd) {
            case FLUSH -> {
                return n.hasFlag(NbdTransmissionFlag.SEND_FLUSH) || conn.readOnly()
                        ? null
                        : invalid("flush was not negotiated");
            }
            case TRIM -> {
                if (!n.hasFlag(NbdTransmissionFlag.SEND_TRIM)) {
                    return invalid("trim was not negotiated");
                }
            }
            case WRITE_ZEROES -> {
                if (!n.hasFlag(NbdTransmissionFlag.SEND_WRITE_ZEROES)) {
                    return invalid("write zeroes was not negotiated");
                }
            }
            case CACHE -> {
                if (!n.hasFlag(NbdTransmissionFlag.SEND_CACHE)) {
                    return invalid("cache was not negotiated");
                }
            }
            case BLOCK_STATUS -> {
                if (!n.hasMetaContext()) {
                    return invalid("no meta context was negotiated");
                }
            }
            default -> {}
        }
        if (length == 0) {
            return invalid("zero-length request");
        }
        if ((cmd == NbdCommand.READ || cmd == NbdCommand.WRITE)
                && Long.compareUnsigned(length, NbdMagic.MAX_PAYLOAD) > 0) {
            // A 64-bit READ is a command without payload asking past the maximum: the spec's
            // EOVERFLOW. Compact headers keep their EINVAL.
            return new Rejection(
                    extended ? NbdErrno.EOVERFLOW : NbdErrno.EINVAL,
                    "request of "
                            + Long.toUnsignedString(length)
                            + " bytes is larger than the maximum "
                            + NbdMagic.MAX_PAYLOAD);
        }
        long off = r.offset();
        // A negative length is 2^63 or more (extended headers): past any disk.
        if (off < 0 || off > n.size() || length < 0 || length > n.size() - off) {
            boolean writes = cmd == NbdCommand.WRITE || cmd == NbdCommand.WRITE_ZEROES;
            return new Rejection(
                    writes ? NbdErrno.ENOSPC : NbdErrno.EINVAL,
                    "request ["
                            + Long.toUnsignedString(off)
                            + ", +"
                            + Long.toUnsignedString(length)
                            + ") is beyond the end of the disk ("
                            + n.size()
                            + " bytes)");
        }
        return null;
    }

    /** Why a valid request breaks the --block-size limits, or null. Flush has no range. */
    private String blockSizeViolation(NbdRequest r, NbdCommand cmd, long length) {
        if (cmd == NbdCommand.FLUSH) {
            return null;
        }
        boolean payload = cmd == NbdCommand.READ || cmd == NbdCommand.WRITE;
        return faults.blockSizes().violation(r.offset(), length, n.size(), payload);
    }

    /** PAYLOAD_LEN on BLOCK_STATUS, when the payload form was advertised. */
    private int payloadFormFlag() {
        return n.hasFlag(NbdTransmissionFlag.BLOCK_STATUS_PAYLOAD) ? NbdCommandFlag.PAYLOAD_LEN : 0;
    }

    /** A request refused before reaching the device. */
    private record Rejection(NbdErrno errno, String message) {}

    private static Rejection invalid(String message) {
        return new Rejection(NbdErrno.EINVAL, message);
    }

    private static int deviceFlags(NbdRequest r) {
        return r.hasFlag(NbdCommandFlag.FUA) ? IoFlags.FUA : 0;
    }

    private void read(ChannelHandlerContext ctx, NbdRequest r) throws DeviceException {
        int length = (int) r.length();
        boolean chunked =
                n.structuredReplies()
                        && !r.hasFlag(NbdCommandFlag.DF)
                        && n.capabilities().extents();
        if (chunked) {
            // Split the read along the device's runs: holes go as OFFSET_HOLE chunks, no bytes
            // sent.
            ReadChunks cut = new ReadChunks(r.offset(), length, MAX_READ_CHUNKS);
            device.readMap(
                    r.offset(),
                    length,
                    (len, type) -> cut.add(len, (type & IoFlags.EXTENT_ZERO) != 0));
            List<ReadChunks.Chunk> chunks = cut.finish();
            if (!chunks.isEmpty()) {
                // Fill every data chunk first: never send success before the data exists.
                ByteBuf[] data = new ByteBuf[chunks.size()];
                try {
                    for (int i = 0; i < data.length; i++) {
                        ReadChunks.Chunk c = chunks.get(i);
                        if (!c.hole()) {
                            data[i] = device.readBuffer(c.offset(), (int) c.length(), ctx.alloc());
                        }
                    }
                } catch (DeviceException | RuntimeException e) {
                    for (ByteBuf b : data) {
                        if (b != null) {
                            b.release();
                        }
                    }
                    throw e;
                }
                for (int i = 0; i < data.length; i++) {
                    ReadChunks.Chunk c = chunks.get(i);
                    boolean last = i == data.length - 1;
                    ctx.write(replies.readChunk(r, last, c.offset(), c.length(), data[i]));
                }
                finished(NbdCommand.READ);
                return;
            }
        }
        ByteBuf data = device.readBuffer(r.offset(), length, ctx.alloc());
        ctx.write(replies.read(r, data));
        finished(NbdCommand.READ);
    }

    private void blockStatus(ChannelHandlerContext ctx, NbdRequest r, long length)
            throws DeviceException {
        boolean one = r.hasFlag(NbdCommandFlag.REQ_ONE);
        BlockStatusBuilder descriptors = replies.blockStatusBuilder();
        if (n.capabilities().extents()) {
            device.extents(
                    r.offset(),
                    length,
                    (len, type) -> {
                        long take = Math.min(len, length - descriptors.length());
                        if (take <= 0) {
                            return false;
                        }
                        int state =
                                ((type & IoFlags.EXTENT_HOLE) != 0 ? NbdMagic.STATE_HOLE : 0)
                                        | ((type & IoFlags.EXTENT_ZERO) != 0
                                                ? NbdMagic.STATE_ZERO
                                                : 0);
                        descriptors.add(take, state);
                        return descriptors.length() < length
                                && !one
                                && descriptors.size() < MAX_DESCRIPTORS;
                    });
        }
        if (descriptors.isEmpty()) {
            descriptors.add(length, 0); // no map: all data
        }
        ctx.write(replies.blockStatus(r, n.metaContextId(), descriptors));
        finished(NbdCommand.BLOCK_STATUS);
    }

    private void ok(ChannelHandlerContext ctx, NbdRequest r) {
        ctx.write(replies.ok(r));
        observeReply(r.command(), r.offset(), r.length(), true);
        finished(r.command());
    }

    /**
     * Keeps a write-like or flush reply to announce to the observer when it is flushed to the
     * socket. Announced just before the flush, not from the write's future: a client that has read
     * the reply may send a FLUSH on another connection, handled on another thread before this
     * thread would run the future's listeners.
     */
    private void observeReply(NbdCommand cmd, long offset, long length, boolean ok) {
        if (observer == TransmissionObserver.NONE
                || (cmd != NbdCommand.WRITE
                        && cmd != NbdCommand.WRITE_ZEROES
                        && cmd != NbdCommand.TRIM
                        && cmd != NbdCommand.FLUSH)) {
            return;
        }
        unannounced.add(new Observed(cmd, offset, length, ok));
    }

    private record Observed(NbdCommand cmd, long offset, long length, boolean ok) {}

    /** Queued replies are about to be flushed: tell the observer, in order. */
    private void announce() {
        for (Observed o : unannounced) {
            observer.replySent(o.cmd(), o.offset(), o.length(), o.ok());
        }
        unannounced.clear();
    }

    /**
     * A device's error as the wire code the client sees (the device layer knows no wire values).
     */
    static NbdErrno wire(Errno e) {
        return switch (e) {
            case EPERM -> NbdErrno.EPERM;
            case EIO -> NbdErrno.EIO;
            case ENOMEM -> NbdErrno.ENOMEM;
            case EINVAL -> NbdErrno.EINVAL;
            case ENOSPC -> NbdErrno.ENOSPC;
            case EOVERFLOW -> NbdErrno.EOVERFLOW;
            case ENOTSUP -> NbdErrno.ENOTSUP;
            case ESHUTDOWN -> NbdErrno.ESHUTDOWN;
        };
    }

    /** Error replies, mapped to wire codes here and nowhere else. */
    private void error(
            ChannelHandlerContext ctx,
            NbdRequest r,
            NbdCommand cmd,
            NbdErrno errno,
            String message,
            long offset) {
        String msg = message == null ? errno.name() : message;
        if (cmd == null || errno != NbdErrno.EIO) {
            LOG.debug("connection {}: {} -> {}: {}", conn.id(), r, errno, msg);
        }
        listener.requestFailed(conn, cmd, r.offset(), r.length(), errno, msg);
        ctx.write(replies.error(r, errno, msg, offset));
        observeReply(cmd, r.offset(), r.length(), false);
        finished(cmd);
    }

    /**
     * A reply is queued; it counts as finished for the listener once it is flushed to the socket,
     * so that "requests in flight" means requests received and not yet answered on the wire.
     */
    private void finished(NbdCommand cmd) {
        unflushed.add(cmd);
    }

    private void flushed() {
        for (NbdCommand c : unflushed) {
            listener.requestFinished(conn, c);
        }
        unflushed.clear();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        announce();
        ctx.flush();
        flushed();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Backpressure: stop reading requests while replies pile up unsent; resume once drained.
        if (ctx.channel().isWritable()) {
            drain(ctx);
        } else {
            ReadPause.REPLIES.pause(ctx.channel());
            announce();
            ctx.flush();
            flushed();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection {}: {}; closing", conn.id(), cause.toString());
        ctx.close();
    }
}
