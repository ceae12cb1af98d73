package io.sparserandom.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.collection.LongObjectMap;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdDecodeFailure;
import io.sparserandom.protocol.NbdErrno;
import io.sparserandom.protocol.NbdReplyType;
import io.sparserandom.protocol.NbdRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Transmission phase, client side: keeps the table of requests in flight (keyed by cookie, touched
 * only on the channel's event loop), matches replies to them, assembles structured read chunks into
 * one buffer and completes the callers' futures.
 *
 * <p>Anything that breaks the protocol fails every pending request with an {@link
 * NbdProtocolException} and closes the channel; from then on new requests fail at once.
 */
final class NbdClientHandler extends ChannelDuplexHandler implements NbdReplyDecoder.ReplyLengths {

    /** A request on its way out, with the state we keep until its reply is complete. */
    static final class Pending {
        final NbdRequest request;
        final NbdCommand command;
        final long cookie;
        final long offset;
        final long length;
        final CompletableFuture<Object> future = new CompletableFuture<>();
        ByteBuf data; // read result being assembled
        long covered; // read bytes covered by chunks so far
        List<Extent> extents; // block status result
        NbdException error; // first error chunk
        long sentAt; // System.nanoTime() when registered

        Pending(NbdRequest request) {
            this.request = request;
            this.command = request.command();
            this.cookie = request.cookie();
            this.offset = request.offset();
            this.length = request.length();
        }

        String describe() {
            return command + "(offset=" + offset + ", length=" + length + ")";
        }
    }

    private final NbdExportInfo info;
    private final long requestTimeoutNanos;
    private final LongObjectMap<Pending> pending = new LongObjectHashMap<>();
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> sweeper;
    private volatile NbdProtocolException failure;

    NbdClientHandler(NbdExportInfo info, long requestTimeoutNanos) {
        this.info = info;
        this.requestTimeoutNanos = requestTimeoutNanos;
    }

    /** Why the connection is unusable, or null while it is fine. */
    NbdProtocolException failure() {
        return failure;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (requestTimeoutNanos > 0) {
            // One periodic sweep instead of a timer per request: cheap at thousands of requests/s.
            long period = Math.max(requestTimeoutNanos / 4, TimeUnit.MILLISECONDS.toNanos(10));
            sweeper =
                    ctx.executor()
                            .scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Pending p : pending.values()) {
            if (now - p.sentAt > requestTimeoutNanos) {
                failAll(
                        new NbdProtocolException(
                                p.describe()
                                        + " timed out after "
                                        + TimeUnit.NANOSECONDS.toMillis(requestTimeoutNanos)
                                        + " ms; connection closed"));
                return;
            }
        }
    }

    @Override
    public long simpleReplyLength(long cookie) {
        Pending p = pending.get(cookie);
        if (p == null) {
            return -1;
        }
        return p.command == NbdCommand.READ ? p.length : 0;
    }

    @Override
    public long requestOffset(long cookie) {
        Pending p = pending.get(cookie);
        return p == null ? -1 : p.offset;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Pending p)) {
            ctx.write(msg, promise);
            return;
        }
        if (failure != null) {
            p.request.release();
            p.future.completeExceptionally(failure);
            promise.trySuccess();
            return;
        }
        if (pending.put(p.cookie, p) != null) {
            throw new IllegalStateException("duplicate cookie " + p.cookie);
        }
        p.sentAt = System.nanoTime();
        promise.addListener(
                (ChannelFutureListener)
                        f -> {
                            if (!f.isSuccess()) {
                                failAll(
                                        new NbdProtocolException(
                                                "sending " + p.describe() + " failed: " + f.cause(),
                                                f.cause()));
                            }
                        });
        ctx.write(p.request, promise);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof NbdDecodeFailure f) {
            failAll(new NbdProtocolException("NBD protocol error from server: " + f.message()));
            return;
        }
        if (!(msg instanceof NbdReply reply)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (failure != null) {
            reply.release();
            return;
        }
        try {
            String problem = onReply(reply);
            if (problem != null) {
                failAll(new NbdProtocolException("NBD protocol error from server: " + problem));
            }
        } finally {
            reply.release();
        }
    }

    /** Handles one reply; returns a description of a protocol violation, or null. */
    private String onReply(NbdReply reply) {
        Pending p = pending.get(reply.cookie());
        if (p == null) {
            return "reply for unknown cookie "
                    + reply.cookie()
                    + " (never sent, or already complete)";
        }
        if (reply instanceof NbdReply.Simple s) {
            if (s.error() == 0 && p.command == NbdCommand.BLOCK_STATUS) {
                return "simple reply to BLOCK_STATUS without error";
            }
            pending.remove(p.cookie);
            if (s.error() != 0) {
                finish(p, new NbdException(p.describe(), NbdErrno.of(s.error()), "", -1));
            } else if (p.command == NbdCommand.READ) {
                p.future.complete(s.payload().retain());
            } else {
                finish(p, null);
            }
            return null;
        }
        NbdReply.Chunk c = (NbdReply.Chunk) reply;
        String problem = onChunk(p, c);
        if (problem != null) {
            return problem + " in reply to " + p.describe();
        }
        if (c.done()) {
            // Validate before removing, so a failure here still fails this request in failAll.
            if (p.error == null) {
                try {
                    ReplyChunks.checkComplete(
                            p.command, p.covered, p.length, p.extents, p.describe());
                } catch (ReplyChunks.BadChunk e) {
                    return e.getMessage();
                }
            }
            pending.remove(p.cookie);
            if (p.error != null) {
                finish(p, p.error);
            } else if (p.command == NbdCommand.READ) {
                ByteBuf data = p.data;
                p.data = null;
                if (!p.future.complete(data)) {
                    data.release();
                }
            } else if (p.command == NbdCommand.BLOCK_STATUS) {
                p.future.complete(p.extents);
            } else {
                finish(p, null);
            }
        }
        return null;
    }

    private String onChunk(Pending p, NbdReply.Chunk c) {
        ByteBuf b = c.payload();
        int type = c.type();
        if (type == NbdReplyType.NONE.wireValue()) {
            if (!c.done() || b.isReadable()) {
                return "NONE chunk must be the empty final chunk";
            }
            return null;
        }
        if (NbdReplyType.isErrorType(type)) {
            try {
                NbdException e = ReplyChunks.error(type, b, p.describe(), p.offset, p.length);
                if (p.error == null) {
                    p.error = e;
                }
            } catch (ReplyChunks.BadChunk e) {
                return e.getMessage();
            }
            return null;
        }
        if (type == NbdReplyType.OFFSET_DATA.wireValue()
                || type == NbdReplyType.OFFSET_HOLE.wireValue()) {
            if (p.command != NbdCommand.READ) {
                return NbdReplyType.of(type) + " chunk for a non-read";
            }
            boolean hole = type == NbdReplyType.OFFSET_HOLE.wireValue();
            if (b.readableBytes() < (hole ? 12 : 9) || (hole && b.readableBytes() != 12)) {
                return NbdReplyType.of(type) + " chunk has bad length " + b.readableBytes();
            }
            long chunkOffset = b.readLong();
            long chunkLength = hole ? b.readUnsignedInt() : b.readableBytes();
            long rel = chunkOffset - p.offset;
            try {
                ReplyChunks.checkReadChunk(type, chunkOffset, chunkLength, p.offset, p.length);
            } catch (ReplyChunks.BadChunk e) {
                return e.getMessage();
            }
            p.covered += chunkLength;
            if (p.covered > p.length) {
                return "read chunks overlap (cover more than " + p.length + " bytes)";
            }
            if (p.error != null) {
                return null; // data after an error is useless but legal
            }
            if (p.data == null) {
                if (!hole && chunkLength == p.length) {
                    p.data = b.retainedSlice(); // the common case: one chunk, no copy
                    return null;
                }
                p.data = ctx.alloc().buffer((int) p.length);
                p.data.writerIndex((int) p.length);
            }
            if (hole) {
                p.data.setZero((int) rel, (int) chunkLength);
            } else {
                p.data.setBytes((int) rel, b, b.readerIndex(), (int) chunkLength);
            }
            return null;
        }
        if (type == NbdReplyType.BLOCK_STATUS_EXT.wireValue()
                || type == NbdReplyType.BLOCK_STATUS.wireValue()) {
            if (p.command != NbdCommand.BLOCK_STATUS) {
                return NbdReplyType.of(type) + " chunk for a " + p.command;
            }
            if (p.extents != null) {
                return "second block status chunk for the same context";
            }
            try {
                p.extents = ReplyChunks.blockStatus(type, b, info, p.length);
            } catch (ReplyChunks.BadChunk e) {
                return e.getMessage();
            }
            return null;
        }
        return "unknown chunk type " + type;
    }

    private void finish(Pending p, Throwable error) {
        if (p.data != null) {
            p.data.release();
            p.data = null;
        }
        if (error != null) {
            p.future.completeExceptionally(error);
        } else {
            p.future.complete(null);
        }
    }

    /** Fails every pending request and closes the channel. Event loop only. */
    void failAll(NbdProtocolException cause) {
        if (failure == null) {
            failure = cause;
        }
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        List<Pending> all = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending p : all) {
            finish(p, failure);
        }
        if (ctx != null) {
            ctx.close();
        }
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!pending.isEmpty()) {
            failAll(
                    new NbdProtocolException(
                            "server closed the connection with "
                                    + pending.size()
                                    + " requests in flight"));
        } else if (failure == null) {
            failure = new NbdProtocolException("connection closed");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failAll(new NbdProtocolException("connection failed: " + cause, cause));
    }
}
