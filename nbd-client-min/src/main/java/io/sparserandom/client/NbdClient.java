package io.sparserandom.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdCommandFlag;
import io.sparserandom.protocol.NbdMagic;
import io.sparserandom.protocol.NbdRequest;
import io.sparserandom.protocol.NbdRequestEncoder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One NBD connection. The core is asynchronous: every {@code *Async} call sends one request and
 * returns a future completed by the reply (many requests may be in flight; replies are matched by a
 * 64-bit cookie). The blocking calls are the async call plus a wait.
 *
 * <p>Backpressure: at most {@link NbdClientOptions#maxInFlight()} requests are in flight; a caller
 * beyond that blocks until one completes. Callers on the connection's own I/O thread (future
 * callbacks) are never blocked: their requests go out over the limit instead.
 *
 * <p>Buffers: {@link #readAsync} gives the caller a buffer it must release; {@link #writeAsync}
 * takes ownership of the buffer it is given.
 *
 * <p>Errors: a server error completes the future with {@link NbdException}; a broken connection
 * completes every pending future with {@link NbdProtocolException}.
 */
public final class NbdClient implements AutoCloseable {
    /** Largest socket read, in bytes. */
    static final int MAX_RECV_BUFFER = 256 * 1024;

    private final NbdUri uri;
    private final Channel channel;
    private final NbdExportInfo info;
    private final NbdClientHandler handler;
    private final Semaphore inFlight;
    private final int maxPermits;
    private final AtomicLong cookies = new AtomicLong(1);
    private volatile boolean closed;

    private NbdClient(
            NbdUri uri,
            Channel channel,
            NbdExportInfo info,
            NbdClientHandler handler,
            int maxInFlight) {
        this.uri = uri;
        this.channel = channel;
        this.info = info;
        this.handler = handler;
        this.inFlight = new Semaphore(maxInFlight);
        this.maxPermits = maxInFlight;
    }

    public static NbdClient connect(NbdUri uri) throws IOException {
        return connect(uri, NbdClientOptions.DEFAULTS);
    }

    /** Connects and negotiates; the returned client is in the transmission phase. */
    public static NbdClient connect(NbdUri uri, NbdClientOptions options) throws IOException {
        return connect(uri, options, NbdTransport.group());
    }

    /**
     * As {@link #connect(NbdUri, NbdClientOptions)}, on the event loop for connection index {@code
     * index}.
     */
    static NbdClient connect(NbdUri uri, NbdClientOptions options, int index) throws IOException {
        return connect(uri, options, NbdTransport.loop(index));
    }

    private static NbdClient connect(
            NbdUri uri, NbdClientOptions options, io.netty.channel.EventLoopGroup group)
            throws IOException {
        Promise<NbdExportInfo> negotiated = GlobalEventExecutor.INSTANCE.newPromise();
        Bootstrap b =
                new Bootstrap()
                        .group(group)
                        .channel(NbdTransport.channelClass(uri))
                        .option(
                                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                                (int) options.connectTimeout().toMillis())
                        .handler(
                                new ChannelInitializer<Channel>() {
                                    @Override
                                    protected void initChannel(Channel ch) {
                                        // Installed before connecting: the server speaks first.
                                        ch.pipeline()
                                                .addLast(
                                                        "handshake",
                                                        new NbdHandshakeHandler(
                                                                uri.exportName(),
                                                                options,
                                                                negotiated));
                                    }
                                });
        if (!uri.isUnix()) {
            b.option(ChannelOption.TCP_NODELAY, true);
        }
        // Read replies in big gulps, but no bigger than a default read request: read data is
        // handed on as slices of these buffers, and a slice keeps its whole buffer alive until the
        // write of that data completes (1 MiB buffers held a copier's direct memory at twice the
        // data in flight).
        b.option(
                ChannelOption.RECVBUF_ALLOCATOR,
                new AdaptiveRecvByteBufAllocator(4096, 65536, MAX_RECV_BUFFER));
        ChannelFuture cf = b.connect(NbdTransport.address(uri));
        Channel ch = cf.channel();
        try {
            if (!cf.await(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                ch.close();
                throw new NbdProtocolException("timed out connecting to " + uri);
            }
            if (!cf.isSuccess()) {
                throw new NbdProtocolException(
                        "cannot connect to " + uri + ": " + cf.cause(), cf.cause());
            }
            if (!negotiated.await(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                ch.close();
                throw new NbdProtocolException("timed out negotiating with " + uri);
            }
            if (!negotiated.isSuccess()) {
                ch.close();
                Throwable c = negotiated.cause();
                throw c instanceof IOException io ? io : new NbdProtocolException(c.toString(), c);
            }
            NbdExportInfo info = negotiated.getNow();
            NbdClientHandler handler =
                    new NbdClientHandler(info, options.requestTimeout().toNanos());
            CompletableFuture<Void> swapped = new CompletableFuture<>();
            ch.eventLoop()
                    .execute(
                            () -> {
                                // Swap phases on the loop so no reply byte can slip between the two
                                // handlers.
                                ChannelPipeline p = ch.pipeline();
                                p.addFirst("flush", new FlushConsolidationHandler(256, true));
                                p.addAfter(
                                        "handshake",
                                        "encoder",
                                        new NbdRequestEncoder(info.headers()));
                                p.addAfter(
                                        "encoder",
                                        "decoder",
                                        new NbdReplyDecoder(
                                                handler,
                                                NbdReplyDecoder.DEFAULT_MAX_CHUNK_PAYLOAD,
                                                Math.max(info.maxBlockSize(), NbdMagic.MAX_PAYLOAD),
                                                info.headers()));
                                p.addAfter("decoder", "client", handler);
                                p.remove("handshake");
                                swapped.complete(null);
                            });
            swapped.get(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return new NbdClient(uri, ch, info, handler, options.maxInFlight());
        } catch (InterruptedException e) {
            ch.close();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted connecting to " + uri);
        } catch (ExecutionException | TimeoutException e) {
            ch.close();
            throw new NbdProtocolException("cannot set up connection to " + uri + ": " + e, e);
        }
    }

    public NbdUri uri() {
        return uri;
    }

    /** Everything negotiated: size, flags, block sizes, structured replies, meta context. */
    public NbdExportInfo info() {
        return info;
    }

    public long size() {
        return info.size();
    }

    public boolean isOpen() {
        return !closed && channel.isActive() && handler.failure() == null;
    }

    // ---- async core ----

    public CompletableFuture<ByteBuf> readAsync(long offset, int length) {
        return submit(NbdRequest.of(NbdCommand.READ, 0, nextCookie(), offset, length));
    }

    /** Takes ownership of {@code data}. */
    public CompletableFuture<Void> writeAsync(long offset, ByteBuf data, boolean fua) {
        if (info.readOnly()) {
            data.release();
            return CompletableFuture.failedFuture(
                    new IllegalStateException("export is read-only: " + uri));
        }
        return submit(NbdRequest.write(fua ? NbdCommandFlag.FUA : 0, nextCookie(), offset, data));
    }

    public CompletableFuture<Void> zeroAsync(
            long offset, long length, boolean fastZero, boolean noHole) {
        if (!info.canZero()) {
            return unsupported("WRITE_ZEROES");
        }
        if (fastZero && !info.canFastZero()) {
            return unsupported("fast zero");
        }
        int flags =
                (fastZero ? NbdCommandFlag.FAST_ZERO : 0) | (noHole ? NbdCommandFlag.NO_HOLE : 0);
        return submit(
                NbdRequest.of(
                        NbdCommand.WRITE_ZEROES,
                        flags,
                        nextCookie(),
                        offset,
                        checkLength(length, info)));
    }

    public CompletableFuture<Void> trimAsync(long offset, long length) {
        if (!info.canTrim()) {
            return unsupported("TRIM");
        }
        return submit(
                NbdRequest.of(NbdCommand.TRIM, 0, nextCookie(), offset, checkLength(length, info)));
    }

    public CompletableFuture<Void> flushAsync() {
        if (!info.canFlush()) {
            return unsupported("FLUSH");
        }
        return submit(NbdRequest.of(NbdCommand.FLUSH, 0, nextCookie(), 0, 0));
    }

    public CompletableFuture<Void> cacheAsync(long offset, long length) {
        if (!info.canCache()) {
            return unsupported("CACHE");
        }
        return submit(
                NbdRequest.of(
                        NbdCommand.CACHE, 0, nextCookie(), offset, checkLength(length, info)));
    }

    /** Block status of base:allocation; the extents cover a prefix of the range (never past it). */
    public CompletableFuture<List<Extent>> blockStatusAsync(
            long offset, long length, boolean reqOne) {
        if (!info.metaContext()) {
            return unsupported("BLOCK_STATUS (base:allocation not negotiated)");
        }
        return submit(
                NbdRequest.of(
                        NbdCommand.BLOCK_STATUS,
                        reqOne ? NbdCommandFlag.REQ_ONE : 0,
                        nextCookie(),
                        offset,
                        checkLength(length, info)));
    }

    // ---- blocking ----

    /** Reads {@code length} bytes; the caller releases the buffer. */
    public ByteBuf pread(long offset, int length) throws IOException {
        return await(readAsync(offset, length));
    }

    public void pwrite(long offset, ByteBuf data, boolean fua) throws IOException {
        await(writeAsync(offset, data, fua));
    }

    public void zero(long offset, long length, boolean fastZero, boolean noHole)
            throws IOException {
        await(zeroAsync(offset, length, fastZero, noHole));
    }

    public void trim(long offset, long length) throws IOException {
        await(trimAsync(offset, length));
    }

    public void flush() throws IOException {
        await(flushAsync());
    }

    public void cache(long offset, long length) throws IOException {
        await(cacheAsync(offset, length));
    }

    public List<Extent> blockStatus(long offset, long length, boolean reqOne) throws IOException {
        return await(blockStatusAsync(offset, length, reqOne));
    }

    /**
     * Waits for a future from this client, unwrapping its failure into the IOException it carries.
     */
    public static <T> T await(CompletableFuture<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for an NBD reply");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c);
        }
    }

    /**
     * Sends NBD_CMD_DISC (after the requests in flight complete, up to a short wait) and closes.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (channel.isActive() && handler.failure() == null) {
            // Let replies already on their way arrive: DISC makes the server drop nothing it has
            // started, but closing the socket at once would.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (inFlightCount() > 0
                    && System.nanoTime() < deadline
                    && channel.isActive()
                    && !channel.eventLoop().inEventLoop()) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            NbdRequest disc = NbdRequest.of(NbdCommand.DISC, 0, nextCookie(), 0, 0);
            channel.writeAndFlush(disc).addListener(f -> channel.close());
        } else {
            channel.close();
        }
        if (!channel.eventLoop().inEventLoop()) {
            channel.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private int inFlightCount() {
        return maxPermits - inFlight.availablePermits();
    }

    // ---- internals ----

    private long nextCookie() {
        return cookies.getAndIncrement();
    }

    /** Effect lengths are 32 bits with compact headers and 64 with extended ones. */
    private static long checkLength(long length, NbdExportInfo info) {
        if (length < 0 || length > info.maxEffectLength()) {
            throw new IllegalArgumentException(
                    "length " + length + " does not fit the request's length field");
        }
        return length;
    }

    private static <T> CompletableFuture<T> unsupported(String what) {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException("server does not support " + what));
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> submit(NbdRequest request) {
        NbdProtocolException broken = handler.failure();
        if (closed || broken != null) {
            request.release();
            return CompletableFuture.failedFuture(
                    broken != null
                            ? broken
                            : new NbdProtocolException("connection to " + uri + " is closed"));
        }
        boolean permit;
        if (channel.eventLoop().inEventLoop()) {
            permit = inFlight.tryAcquire();
        } else {
            try {
                inFlight.acquire();
                permit = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                request.release();
                return CompletableFuture.failedFuture(new InterruptedIOException("interrupted"));
            }
        }
        NbdClientHandler.Pending p = new NbdClientHandler.Pending(request);
        if (permit) {
            p.future.whenComplete((r, e) -> inFlight.release());
        }
        channel.writeAndFlush(p)
                .addListener(
                        f -> {
                            if (!f.isSuccess()) {
                                p.future.completeExceptionally(
                                        new NbdProtocolException(
                                                "cannot send "
                                                        + p.describe()
                                                        + " to "
                                                        + uri
                                                        + ": "
                                                        + f.cause(),
                                                f.cause()));
                            }
                        });
        return (CompletableFuture<T>) (CompletableFuture<?>) p.future;
    }
}
