package io.sparserandom.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.collection.LongObjectMap;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdErrno;
import io.sparserandom.protocol.NbdHeaders;
import io.sparserandom.protocol.NbdMagic;
import io.sparserandom.protocol.NbdReplyType;
import io.sparserandom.protocol.NbdRequest;
import io.sparserandom.protocol.NbdRequestEncoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One NBD connection driven by a single thread (its {@link NbdDirectLoop}), for the copier's data
 * path: the way libnbd does it, without an event loop to hand requests to. The handshake is the
 * Netty {@link NbdHandshakeHandler} run in an embedded channel over a plain {@link SocketChannel};
 * after it, requests are queued and sent in gathering writes (header and payload straight from
 * their buffers), and a reply's data is read from the socket straight into the buffer that is
 * handed to the caller: one kernel copy in, one out, no copy in between.
 *
 * <p>Not thread-safe: every call, and every future completion, happens on the thread that runs the
 * loop. Simple, structured and extended replies are handled as by {@link NbdClientHandler}, with
 * the same checks ({@link ReplyChunks}); a broken connection fails every pending request with
 * {@link NbdProtocolException}, a server error fails its request with {@link NbdException}.
 */
public final class NbdDirectConnection implements AutoCloseable {
    private static final int READ_HEADER = 0;
    private static final int READ_DATA_OFFSET = 1;
    private static final int READ_DATA = 2;
    private static final int READ_CHUNK = 3;

    /** Bytes read ahead at once when the next part of a reply is small. */
    private static final int STAGING = 4096;

    /** Buffers gathered into one write (a header and a payload each, or many lone headers). */
    private static final int IOV = 64;

    /** A request in flight and what its reply has brought so far. */
    private static final class Op {
        final NbdCommand command;
        final long cookie;
        final long offset;
        final long length;
        final CompletableFuture<Object> future = new CompletableFuture<>();
        ByteBuf data; // READ: the caller's buffer, filled by the reply
        long covered;
        List<Extent> extents;
        NbdException error;

        Op(NbdCommand command, long cookie, long offset, long length) {
            this.command = command;
            this.cookie = cookie;
            this.offset = offset;
            this.length = length;
        }

        String describe() {
            return command + "(offset=" + offset + ", length=" + length + ")";
        }
    }

    private final NbdUri uri;
    private final SocketChannel channel;
    private final NbdExportInfo info;
    private final NbdHeaders headers;
    private final long requestTimeoutNanos;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final ReadBuffers readBuffers = new ReadBuffers();
    private final LongObjectMap<Op> pending = new LongObjectHashMap<>();
    private final ArrayDeque<ByteBuf> out = new ArrayDeque<>();
    private final ByteBuffer[] iov = new ByteBuffer[IOV];
    private SelectionKey key;
    private long cookies = 1;
    private long lastProgress;
    private NbdProtocolException failure;

    // Reply state: which part of which reply the next bytes belong to.
    private final ByteBuffer header =
            ByteBuffer.allocateDirect(NbdMagic.EXTENDED_REPLY_HEADER_SIZE);
    // Bytes read ahead of the reply part being parsed: position..limit is what is left of them.
    private final ByteBuffer staging = ByteBuffer.allocateDirect(STAGING).limit(0);
    private int state = READ_HEADER;
    private Op op;
    private ByteBuffer into;
    private ByteBuf chunk;
    private int chunkFlags;
    private int chunkType;
    private long chunkLength;

    private NbdDirectConnection(
            NbdUri uri, SocketChannel channel, NbdExportInfo info, NbdClientOptions options) {
        this.uri = uri;
        this.channel = channel;
        this.info = info;
        this.headers = info.headers();
        this.requestTimeoutNanos = options.requestTimeout().toNanos();
        header.limit(firstHeaderPart());
    }

    /** Connects, negotiates, and registers the connection with {@code loop}. */
    public static NbdDirectConnection connect(
            NbdUri uri, NbdClientOptions options, NbdDirectLoop loop) throws IOException {
        SocketChannel ch =
                uri.isUnix()
                        ? SocketChannel.open(StandardProtocolFamily.UNIX)
                        : SocketChannel.open();
        try {
            ch.configureBlocking(false);
            if (!uri.isUnix()) {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            NbdExportInfo info = handshake(uri, options, ch);
            NbdDirectConnection c = new NbdDirectConnection(uri, ch, info, options);
            c.key = loop.register(ch, c);
            return c;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static SocketAddress address(NbdUri uri) {
        return uri.isUnix()
                ? UnixDomainSocketAddress.of(uri.socketPath())
                : new InetSocketAddress(uri.host(), uri.port());
    }

    /** Runs the handshake handler over the socket, with the connect timeout for the whole of it. */
    private static NbdExportInfo handshake(NbdUri uri, NbdClientOptions options, SocketChannel ch)
            throws IOException {
        long deadline = System.nanoTime() + options.connectTimeout().toNanos();
        Promise<NbdExportInfo> negotiated = GlobalEventExecutor.INSTANCE.newPromise();
        EmbeddedChannel em =
                new EmbeddedChannel(new NbdHandshakeHandler(uri.exportName(), options, negotiated));
        try (Selector selector = Selector.open()) {
            SelectionKey k;
            boolean connected;
            try {
                connected = ch.connect(address(uri));
            } catch (IOException e) {
                throw new NbdProtocolException("cannot connect to " + uri + ": " + e, e);
            }
            if (connected) {
                k = ch.register(selector, SelectionKey.OP_READ);
            } else {
                k = ch.register(selector, SelectionKey.OP_CONNECT);
                try {
                    while (!ch.finishConnect()) {
                        waitFor(selector, deadline, uri, "connecting to");
                    }
                } catch (IOException e) {
                    throw e instanceof NbdProtocolException
                            ? e
                            : new NbdProtocolException("cannot connect to " + uri + ": " + e, e);
                }
                k.interestOps(SelectionKey.OP_READ);
            }
            ByteBuffer in = ByteBuffer.allocate(4096);
            while (!negotiated.isDone()) {
                for (Object o; (o = em.readOutbound()) != null; ) {
                    ByteBuf b = (ByteBuf) o;
                    try {
                        ByteBuffer nio = b.nioBuffer();
                        while (nio.hasRemaining()) {
                            if (ch.write(nio) == 0) {
                                k.interestOps(SelectionKey.OP_WRITE);
                                waitFor(selector, deadline, uri, "negotiating with");
                                k.interestOps(SelectionKey.OP_READ);
                            }
                        }
                    } finally {
                        b.release();
                    }
                }
                if (negotiated.isDone() || !em.isOpen()) {
                    break;
                }
                int n = ch.read(in.clear());
                if (n < 0) {
                    em.pipeline().fireChannelInactive();
                } else if (n == 0) {
                    waitFor(selector, deadline, uri, "negotiating with");
                } else {
                    em.writeInbound(Unpooled.copiedBuffer(in.flip()));
                }
            }
            k.cancel();
            selector.selectNow(); // deregisters the key before the channel joins another selector
        } finally {
            em.finishAndReleaseAll();
        }
        if (!negotiated.isDone()) {
            throw new NbdProtocolException("server closed the connection during the handshake");
        }
        if (!negotiated.isSuccess()) {
            Throwable c = negotiated.cause();
            throw c instanceof IOException io ? io : new NbdProtocolException(c.toString(), c);
        }
        return negotiated.getNow();
    }

    private static void waitFor(Selector selector, long deadline, NbdUri uri, String doing)
            throws IOException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw new NbdProtocolException("timed out " + doing + " " + uri);
        }
        selector.select(left);
        selector.selectedKeys().clear();
    }

    public NbdExportInfo info() {
        return info;
    }

    public NbdUri uri() {
        return uri;
    }

    // ---- requests (queued; sent when the loop runs) ----

    /** Reads into a buffer the caller then owns. */
    public CompletableFuture<ByteBuf> read(long offset, int length) {
        ByteBuf data = readBuffers.take(length);
        return submit(NbdRequest.of(NbdCommand.READ, 0, cookies++, offset, length), data);
    }

    /** Takes ownership of {@code data}; it is released once it is on the wire. */
    public CompletableFuture<Void> write(long offset, ByteBuf data, int flags) {
        return submit(NbdRequest.write(flags, cookies++, offset, data), null);
    }

    public CompletableFuture<Void> zero(long offset, long length, int flags) {
        return submit(
                NbdRequest.of(NbdCommand.WRITE_ZEROES, flags, cookies++, offset, length), null);
    }

    public CompletableFuture<Void> flush() {
        return submit(NbdRequest.of(NbdCommand.FLUSH, 0, cookies++, 0, 0), null);
    }

    /** Block status of base:allocation: extents covering a prefix of the range. */
    public CompletableFuture<List<Extent>> blockStatus(long offset, long length) {
        if (!info.metaContext()) {
            return CompletableFuture.failedFuture(
                    new UnsupportedOperationException(
                            "server does not support BLOCK_STATUS (base:allocation not"
                                    + " negotiated)"));
        }
        return submit(NbdRequest.of(NbdCommand.BLOCK_STATUS, 0, cookies++, offset, length), null);
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> submit(NbdRequest request, ByteBuf readInto) {
        if (failure != null) {
            request.release();
            if (readInto != null) {
                readInto.release();
            }
            return CompletableFuture.failedFuture(failure);
        }
        Op o = new Op(request.command(), request.cookie(), request.offset(), request.length());
        o.data = readInto;
        if (pending.isEmpty()) {
            lastProgress = System.nanoTime();
        }
        pending.put(o.cookie, o);
        ByteBuf h = alloc.directBuffer(headers.requestHeaderSize());
        if (headers == NbdHeaders.EXTENDED) {
            NbdRequestEncoder.encodeExtendedHeader(request, h);
        } else {
            NbdRequestEncoder.encodeHeader(request, h);
        }
        out.add(h);
        ByteBuf payload = request.payload();
        if (payload != null && payload.nioBufferCount() > IOV / 2) {
            // Too many pieces for one gathering write (a composite): one copy, once.
            out.add(alloc.directBuffer(payload.readableBytes()).writeBytes(payload.duplicate()));
        } else if (payload != null) {
            out.add(payload.retain());
        }
        request.release();
        return (CompletableFuture<T>) (CompletableFuture<?>) o.future;
    }

    boolean hasWork() {
        // A simple reply's request leaves pending when its header arrives; its data may still be
        // on the way (op is set until the reply has been read whole).
        return !pending.isEmpty() || !out.isEmpty() || op != null;
    }

    // ---- the loop's side ----

    /** Sends what is queued, as far as the socket takes it. */
    void send() {
        while (!out.isEmpty() && failure == null) {
            int n = 0;
            long total = 0;
            for (ByteBuf b : out) {
                int parts = b.nioBufferCount();
                if (n + parts > IOV) {
                    break;
                }
                if (parts == 1) {
                    iov[n++] = b.nioBuffer();
                } else {
                    for (ByteBuffer p : b.nioBuffers()) {
                        iov[n++] = p;
                    }
                }
                total += b.readableBytes();
            }
            long written;
            try {
                written = channel.write(iov, 0, n);
            } catch (IOException e) {
                fail(lost(e));
                return;
            } finally {
                Arrays.fill(iov, 0, n, null);
            }
            long left = written;
            while (!out.isEmpty()) {
                ByteBuf b = out.peek();
                int r = b.readableBytes();
                if (r > left) {
                    b.skipBytes((int) left);
                    break;
                }
                out.poll().release();
                left -= r;
            }
            if (written < total) {
                break; // the socket is full: the rest when it is writable again
            }
        }
        if (failure == null) {
            int ops =
                    out.isEmpty()
                            ? SelectionKey.OP_READ
                            : SelectionKey.OP_READ | SelectionKey.OP_WRITE;
            if (key.interestOps() != ops) {
                key.interestOps(ops);
            }
        }
    }

    /** Reads and handles every reply byte the socket has. */
    void receive() {
        try {
            while (failure == null && step()) {
                // each step consumes one part of a reply
            }
        } catch (ClosedByServer e) {
            fail(
                    new NbdProtocolException(
                            "server "
                                    + uri
                                    + " closed the connection with "
                                    + pending.size()
                                    + " requests in flight"));
        } catch (IOException e) {
            fail(lost(e));
        } catch (ReplyChunks.BadChunk e) {
            fail(
                    new NbdProtocolException(
                            "NBD protocol error from server " + uri + ": " + e.getMessage()));
        }
    }

    /** A reset or broken pipe: the server went away (or dropped us) mid-request. */
    private NbdProtocolException lost(IOException e) {
        return new NbdProtocolException(
                "connection to "
                        + uri
                        + " lost ("
                        + e.getMessage()
                        + ") with "
                        + pending.size()
                        + " requests in flight",
                e);
    }

    /** End of stream from the server. */
    private static final class ClosedByServer extends IOException {
        private static final long serialVersionUID = 1L;

        ClosedByServer() {
            super(null, null);
        }
    }

    /** Fails everything if the oldest silence has lasted longer than the request timeout. */
    void checkTimeout(long now) {
        if (requestTimeoutNanos > 0
                && !pending.isEmpty()
                && now - lastProgress > requestTimeoutNanos) {
            fail(
                    new NbdProtocolException(
                            "no reply from "
                                    + uri
                                    + " for "
                                    + TimeUnit.NANOSECONDS.toMillis(requestTimeoutNanos)
                                    + " ms with "
                                    + pending.size()
                                    + " requests in flight; connection closed"));
        }
    }

    /**
     * Fills {@code b}; returns false when the socket has nothing more for now. Small parts
     * (headers, short chunks) come through {@link #staging}, so that one system call fetches many
     * of them (a target's replies to writes arrive by the dozen); a large remainder is read
     * straight into {@code b}, so that data is copied only by the kernel, but for the few bytes of
     * it that came along with its header.
     */
    private boolean fill(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (staging.hasRemaining()) {
                int n = Math.min(staging.remaining(), b.remaining());
                b.put(b.position(), staging, staging.position(), n);
                b.position(b.position() + n);
                staging.position(staging.position() + n);
                continue;
            }
            boolean direct = b.remaining() >= STAGING;
            ByteBuffer to = direct ? b : staging.clear();
            int n = channel.read(to);
            if (!direct) {
                staging.flip();
            }
            if (n < 0) {
                throw new ClosedByServer();
            }
            if (n == 0) {
                return false;
            }
            lastProgress = System.nanoTime();
        }
        return true;
    }

    /** One part of a reply: a header, a data offset, data, or a whole chunk payload. */
    private boolean step() throws IOException, ReplyChunks.BadChunk {
        switch (state) {
            case READ_HEADER -> {
                if (!fill(header)) {
                    return false;
                }
                onHeader();
            }
            case READ_DATA_OFFSET -> {
                if (!fill(header)) {
                    return false;
                }
                long chunkOffset = header.getLong(0);
                long n = chunkLength - 8;
                ReplyChunks.checkReadChunk(chunkType, chunkOffset, n, op.offset, op.length);
                op.covered += n;
                if (op.covered > op.length) {
                    throw bad("read chunks overlap (cover more than " + op.length + " bytes)");
                }
                into = op.data.internalNioBuffer((int) (chunkOffset - op.offset), (int) n);
                state = READ_DATA;
            }
            case READ_DATA -> {
                if (!fill(into)) {
                    return false;
                }
                into = null;
                if (chunkType < 0) {
                    complete(op, op.data); // a simple reply's data
                    op.data = null;
                    nextReply();
                } else {
                    chunkDone();
                }
            }
            case READ_CHUNK -> {
                ByteBuffer nio =
                        chunk.internalNioBuffer(chunk.writerIndex(), chunk.writableBytes());
                boolean full = fill(nio);
                chunk.writerIndex(chunk.capacity() - nio.remaining());
                if (!full) {
                    return false;
                }
                try {
                    onChunk();
                } finally {
                    chunk.release();
                    chunk = null;
                }
                chunkDone();
            }
            default -> throw new IllegalStateException("state " + state);
        }
        return true;
    }

    private int firstHeaderPart() {
        // The simple reply is the shorter one; a structured header's last 4 bytes follow.
        return headers == NbdHeaders.EXTENDED
                ? NbdMagic.EXTENDED_REPLY_HEADER_SIZE
                : NbdMagic.SIMPLE_REPLY_HEADER_SIZE;
    }

    private void onHeader() throws ReplyChunks.BadChunk {
        int magic = header.getInt(0);
        if (headers == NbdHeaders.EXTENDED) {
            if (magic != NbdMagic.EXTENDED_REPLY_MAGIC) {
                throw bad(
                        "bad reply magic 0x"
                                + Integer.toHexString(magic)
                                + " (extended headers were negotiated)");
            }
            long length = header.getLong(24);
            startChunk(
                    header.getShort(4) & 0xffff,
                    header.getShort(6) & 0xffff,
                    header.getLong(8),
                    length,
                    header.getLong(16));
        } else if (magic == NbdMagic.SIMPLE_REPLY_MAGIC) {
            int error = header.getInt(4);
            op = find(header.getLong(8));
            if (error == 0 && op.command == NbdCommand.BLOCK_STATUS) {
                throw bad("simple reply to BLOCK_STATUS without error");
            }
            if (error != 0) {
                pending.remove(op.cookie);
                finish(op, new NbdException(op.describe(), NbdErrno.of(error), "", -1));
                nextReply();
            } else if (op.command == NbdCommand.READ) {
                chunkType = -1;
                into = op.data.internalNioBuffer(0, (int) op.length);
                pending.remove(op.cookie);
                state = READ_DATA;
            } else {
                pending.remove(op.cookie);
                complete(op, null);
                nextReply();
            }
        } else if (magic == NbdMagic.STRUCTURED_REPLY_MAGIC) {
            if (header.limit() < NbdMagic.STRUCTURED_REPLY_HEADER_SIZE) {
                header.limit(NbdMagic.STRUCTURED_REPLY_HEADER_SIZE); // its last 4 bytes next
                return;
            }
            startChunk(
                    header.getShort(4) & 0xffff,
                    header.getShort(6) & 0xffff,
                    header.getLong(8),
                    header.getInt(16) & 0xffff_ffffL,
                    -1);
        } else {
            throw bad("bad reply magic 0x" + Integer.toHexString(magic));
        }
    }

    private void startChunk(int flags, int type, long cookie, long length, long offset)
            throws ReplyChunks.BadChunk {
        if (length < 0 || length > NbdReplyDecoder.DEFAULT_MAX_CHUNK_PAYLOAD) {
            throw bad(
                    "reply chunk of "
                            + Long.toUnsignedString(length)
                            + " bytes exceeds limit "
                            + NbdReplyDecoder.DEFAULT_MAX_CHUNK_PAYLOAD);
        }
        op = find(cookie);
        if (offset != -1 && offset != op.offset) {
            throw bad(
                    "extended reply to cookie "
                            + cookie
                            + " has offset "
                            + Long.toUnsignedString(offset)
                            + ", the request's is "
                            + op.offset);
        }
        chunkFlags = flags;
        chunkType = type;
        chunkLength = length;
        if (type == NbdReplyType.OFFSET_DATA.wireValue()) {
            if (op.command != NbdCommand.READ) {
                throw bad("OFFSET_DATA chunk for a non-read in reply to " + op.describe());
            }
            if (length < 9) {
                throw bad("OFFSET_DATA chunk has bad length " + length);
            }
            header.clear().limit(8);
            state = READ_DATA_OFFSET;
        } else {
            chunk = Unpooled.buffer((int) length, (int) length);
            state = READ_CHUNK;
        }
    }

    private Op find(long cookie) throws ReplyChunks.BadChunk {
        Op o = pending.get(cookie);
        if (o == null) {
            throw bad("reply for unknown cookie " + cookie + " (never sent, or already complete)");
        }
        return o;
    }

    /** A chunk read whole: NONE, an error, a hole, block status. */
    private void onChunk() throws ReplyChunks.BadChunk {
        ByteBuf b = chunk;
        int type = chunkType;
        if (type == NbdReplyType.NONE.wireValue()) {
            if ((chunkFlags & NbdReplyType.FLAG_DONE) == 0 || b.isReadable()) {
                throw bad("NONE chunk must be the empty final chunk");
            }
        } else if (NbdReplyType.isErrorType(type)) {
            NbdException e = ReplyChunks.error(type, b, op.describe(), op.offset, op.length);
            if (op.error == null) {
                op.error = e;
            }
        } else if (type == NbdReplyType.OFFSET_HOLE.wireValue()) {
            if (op.command != NbdCommand.READ) {
                throw bad("OFFSET_HOLE chunk for a non-read in reply to " + op.describe());
            }
            if (b.readableBytes() != 12) {
                throw bad("OFFSET_HOLE chunk has bad length " + b.readableBytes());
            }
            long chunkOffset = b.readLong();
            long n = b.readUnsignedInt();
            ReplyChunks.checkReadChunk(type, chunkOffset, n, op.offset, op.length);
            op.covered += n;
            if (op.covered > op.length) {
                throw bad("read chunks overlap (cover more than " + op.length + " bytes)");
            }
            op.data.setZero((int) (chunkOffset - op.offset), (int) n);
        } else if (type == NbdReplyType.BLOCK_STATUS.wireValue()
                || type == NbdReplyType.BLOCK_STATUS_EXT.wireValue()) {
            if (op.command != NbdCommand.BLOCK_STATUS) {
                throw bad(NbdReplyType.of(type) + " chunk for a " + op.command);
            }
            if (op.extents != null) {
                throw bad("second block status chunk for the same context");
            }
            op.extents = ReplyChunks.blockStatus(type, b, info, op.length);
        } else {
            throw bad("unknown chunk type " + type);
        }
    }

    /** After a chunk: completes the request when it was the last one. */
    private void chunkDone() throws ReplyChunks.BadChunk {
        Op o = op;
        if ((chunkFlags & NbdReplyType.FLAG_DONE) != 0) {
            if (o.error == null) {
                ReplyChunks.checkComplete(o.command, o.covered, o.length, o.extents, o.describe());
            }
            pending.remove(o.cookie);
            if (o.error != null) {
                finish(o, o.error);
            } else if (o.command == NbdCommand.READ) {
                ByteBuf data = o.data;
                o.data = null;
                complete(o, data);
            } else if (o.command == NbdCommand.BLOCK_STATUS) {
                complete(o, o.extents);
            } else {
                complete(o, null);
            }
        }
        nextReply();
    }

    private void nextReply() {
        op = null;
        state = READ_HEADER;
        header.clear().limit(firstHeaderPart());
    }

    private static void complete(Op o, Object value) {
        if (!o.future.complete(value) && value instanceof ByteBuf b) {
            b.release();
        }
    }

    private static void finish(Op o, Throwable error) {
        if (o.data != null) {
            o.data.release();
            o.data = null;
        }
        o.future.completeExceptionally(error);
    }

    private static ReplyChunks.BadChunk bad(String message) {
        return new ReplyChunks.BadChunk(message);
    }

    /** Why the connection is unusable, or null while it is fine. */
    public NbdProtocolException failure() {
        return failure;
    }

    /** Fails every pending request and closes the socket. */
    void fail(NbdProtocolException cause) {
        if (failure != null) {
            return;
        }
        failure = cause;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing is all we wanted
        }
        while (!out.isEmpty()) {
            out.poll().release();
        }
        if (chunk != null) {
            chunk.release();
            chunk = null;
        }
        List<Op> all = new ArrayList<>(pending.values());
        pending.clear();
        if (op != null && !all.contains(op)) {
            all.add(op); // a simple read reply whose data was still arriving
        }
        for (Op o : all) {
            finish(o, cause);
        }
    }

    /**
     * Sends NBD_CMD_DISC when the connection is idle and healthy, then closes. Requests still in
     * flight fail.
     */
    @Override
    public void close() {
        if (failure == null && pending.isEmpty() && out.isEmpty()) {
            ByteBuf h = alloc.heapBuffer(headers.requestHeaderSize());
            NbdRequest disc = NbdRequest.of(NbdCommand.DISC, 0, cookies++, 0, 0);
            if (headers == NbdHeaders.EXTENDED) {
                NbdRequestEncoder.encodeExtendedHeader(disc, h);
            } else {
                NbdRequestEncoder.encodeHeader(disc, h);
            }
            disc.release();
            try {
                channel.write(h.nioBuffer()); // 28 or 32 bytes into an idle socket
            } catch (IOException e) {
                // the server is gone already: nothing to say goodbye to
            } finally {
                h.release();
            }
        }
        fail(new NbdProtocolException("connection to " + uri + " is closed"));
    }
}
