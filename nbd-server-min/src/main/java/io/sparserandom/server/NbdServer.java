package io.sparserandom.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Errors;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sparserandom.protocol.NbdReply;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal NBD server: serves one or more exports, each a {@link DeviceFactory}, on a unix socket
 * (native epoll when available) or TCP. Knows nothing of what the devices hold.
 *
 * <pre>{@code
 * NbdServer server = NbdServer.builder()
 *         .device("", "my disk", connection -> myDevice)
 *         .unixSocket(Path.of("/tmp/nbd.sock"))
 *         .build()
 *         .start();
 * ...
 * server.close();
 * }</pre>
 */
public final class NbdServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NbdServer.class);
    private static final int UNIX_SEND_BUFFER = 4 << 20;

    /**
     * Room for many copy tools at once (nbdcopy opens 4 connections per end, qemu-img a few), and
     * for a CI host running dozens of them against one server; an idle connection costs a few KiB.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 512;

    private final ServerConfig config;
    private final Path unixSocket;
    private final BoundUnixSocket bound;
    private final String host;
    private final int requestedPort;
    private final int threads;
    private final ConnectionLimit limit;
    private final AtomicLong connectionIds = new AtomicLong();
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private EventLoopGroup group;
    private Channel serverChannel;
    private int port = -1;

    private NbdServer(Builder b) {
        this.config =
                new ServerConfig(
                        b.resolver != null ? b.resolver : ExportResolver.of(b.exports),
                        b.readOnly,
                        b.handshakeTimeout,
                        b.listener,
                        b.tls,
                        new FaultState(b.faults, this::dropAllConnections),
                        b.observers);
        this.unixSocket = b.bound != null ? b.bound.path() : b.unixSocket;
        this.bound = b.bound;
        this.host = b.host;
        this.requestedPort = b.port;
        this.threads = b.threads;
        this.limit = new ConnectionLimit(b.maxConnections);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Does the one-time work of a first {@link #start()} that needs no configuration: epoll's
     * native library, Netty's platform probes, the classes of a listening server and the buffer
     * pool; a caller may run it on another thread while it parses its command line. Idempotent.
     * Failures are left for {@code start()} to meet and report.
     */
    public static void prepare() {
        try {
            boolean epoll = Epoll.isAvailable();
            initialize(
                    epoll ? EpollIoHandler.class : NioIoHandler.class,
                    epoll
                            ? EpollServerDomainSocketChannel.class
                            : NioServerDomainSocketChannel.class,
                    epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class,
                    MultiThreadIoEventLoopGroup.class,
                    ServerBootstrap.class,
                    DefaultChannelGroup.class,
                    HandshakeHandler.class,
                    TransmissionHandler.class,
                    ServerBuffers.class,
                    // Block status without extended headers (nbdcopy's, qemu's): loaded here, it
                    // is in the launcher's class archive, which the built-in copier (extended
                    // headers) does not train; loaded from the large jar, it cost a copy's first
                    // block status the opening of that jar.
                    NbdReply.Descriptor.class);
            // A server channel made and dropped: its configuration, pipeline and Netty's default
            // allocator are built once, here, rather than inside bind.
            ServerChannel probe =
                    epoll
                            ? new EpollServerDomainSocketChannel()
                            : new NioServerDomainSocketChannel();
            // Netty reads each handler class's @Sharable and @Skip annotations when it is added:
            // the process's first annotation parse (and the JDK's proxy classes for them) then
            // happens here, not inside bind (12 ms of the main thread).
            probe.pipeline().addLast(new ChannelInboundHandlerAdapter());
            probe.unsafe().closeForcibly();
            if (epoll) {
                // Netty's socket errors, met when a client closes first (nbdcopy at its end), else
                // loaded then from the large jar; as above, for the class archive.
                initialize(Errors.class);
            }
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("preparing the server: {}", e.toString());
        }
    }

    private static void initialize(Class<?>... classes) {
        for (Class<?> c : classes) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Binds and returns once listening. */
    public synchronized NbdServer start() throws IOException {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
        boolean epoll = Epoll.isAvailable();
        group =
                new MultiThreadIoEventLoopGroup(
                        threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerChannel> type;
        SocketAddress address;
        if (bound != null) {
            if (!epoll) {
                throw new IOException("a socket bound ahead needs epoll");
            }
            type = null;
            address = null;
        } else if (unixSocket != null) {
            Files.deleteIfExists(unixSocket);
            type =
                    epoll
                            ? EpollServerDomainSocketChannel.class
                            : NioServerDomainSocketChannel.class;
            address =
                    epoll
                            ? new DomainSocketAddress(unixSocket.toFile())
                            : UnixDomainSocketAddress.of(unixSocket);
        } else {
            type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
            address = new InetSocketAddress(host, requestedPort);
        }
        ServerBootstrap b =
                new ServerBootstrap()
                        .group(group)
                        // Buffers are taken from one pool and reused (ServerBuffers says why).
                        .childOption(ChannelOption.ALLOCATOR, ServerBuffers.ALLOCATOR)
                        // Replies queued past what the socket holds, per connection: this times the
                        // connections bounds the memory clients that read slowly (or never) can
                        // pin. The unix socket's own 4 MiB send buffer keeps the pipe full.
                        .childOption(
                                ChannelOption.WRITE_BUFFER_WATER_MARK,
                                new WriteBufferWaterMark(1 << 20, 4 << 20))
                        // Socket reads of up to 256 KiB (Netty's default stops at 64 KiB): a
                        // typical write request then arrives in one or two reads, and the payload
                        // is handed on uncopied.
                        .childOption(
                                ChannelOption.RECVBUF_ALLOCATOR,
                                new AdaptiveRecvByteBufAllocator(512, 64 << 10, 256 << 10))
                        .childHandler(
                                new ChannelInitializer<Channel>() {
                                    @Override
                                    protected void initChannel(Channel ch) {
                                        // Past the limit: the oldest connection still in its
                                        // handshake makes room, or this one is closed before
                                        // the greeting, nothing allocated for it.
                                        ConnectionLimit.Slot slot =
                                                limit.tryAcquire(ch.remoteAddress(), ch::close);
                                        if (slot == null) {
                                            ch.close();
                                            return;
                                        }
                                        ch.attr(ConnectionLimit.SLOT).set(slot);
                                        ch.closeFuture().addListener(f -> slot.release());
                                        long id = connectionIds.incrementAndGet();
                                        channels.add(ch);
                                        ConnectionInfo info =
                                                new ConnectionInfo(
                                                        id,
                                                        String.valueOf(ch.remoteAddress()),
                                                        "",
                                                        config.readOnly());
                                        config.listener().connectionOpened(info);
                                        ch.closeFuture()
                                                .addListener(
                                                        f ->
                                                                config.listener()
                                                                        .connectionClosed(info));
                                        ch.pipeline()
                                                .addLast(
                                                        "nbd-handshake",
                                                        new HandshakeHandler(config, id));
                                        ch.pipeline()
                                                .addLast("nbd-last-resort", new LastResort(id));
                                    }
                                });
        if (unixSocket == null) {
            b.childOption(ChannelOption.TCP_NODELAY, true); // TCP tunes its own buffers
        } else {
            // A unix socket holds only its send buffer (208 KiB by default), less than one 256 KiB
            // read reply: replies then leave in pieces, each piece a wake-up on both sides. Ask
            // for 4 MiB (the kernel caps it at net.core.wmem_max).
            b.childOption(ChannelOption.SO_SNDBUF, UNIX_SEND_BUFFER);
        }
        try {
            if (bound != null) {
                // Already listening (clients may be queued): registered, not bound; active from
                // the start, so Netty accepts at once.
                int fd = bound.adopt();
                b.channelFactory(
                        new ChannelFactory<ServerChannel>() {
                            @Override
                            public ServerChannel newChannel() {
                                return new EpollServerDomainSocketChannel(fd, true);
                            }
                        });
                serverChannel = b.register().sync().channel();
            } else {
                b.channel(type);
                serverChannel = b.bind(address).sync().channel();
            }
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException(e.getMessage(), e);
        }
        if (unixSocket != null) {
            Files.setPosixFilePermissions(unixSocket, PosixFilePermissions.fromString("rw-------"));
        } else {
            port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        }
        LOG.debug(
                "listening on {} ({}{}, {} event loops)",
                unixSocket != null ? unixSocket : serverChannel.localAddress(),
                epoll ? "epoll" : "nio",
                bound != null ? ", bound ahead" : "",
                threads);
        return this;
    }

    /** The TCP port listened on, or -1 for a unix socket. */
    public int port() {
        return port;
    }

    public Path unixSocket() {
        return unixSocket;
    }

    /** Closes every open connection (for --disconnect-after); the server keeps listening. */
    private void dropAllConnections() {
        channels.close();
    }

    /** Open connections right now. */
    public int connections() {
        return channels.size();
    }

    /**
     * Connections refused because {@link Builder#maxConnections} were open, all past their
     * handshake.
     */
    public long refusedConnections() {
        return limit.refused();
    }

    /**
     * Connections closed during their handshake to admit a newer one, {@link
     * Builder#maxConnections} being open.
     */
    public long evictedConnections() {
        return limit.evicted();
    }

    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /** Stops listening, closes every connection, frees the event loops. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed.isDone()) {
            return;
        }
        try {
            if (serverChannel != null) {
                serverChannel.close().syncUninterruptibly();
            }
            channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            if (group != null) {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS)
                        .awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
            if (unixSocket != null) {
                Files.deleteIfExists(unixSocket);
            }
        } catch (IOException e) {
            LOG.debug("removing {}: {}", unixSocket, e.toString());
        } finally {
            closed.complete(null);
        }
    }

    /** Catches what nothing else did, so one bad connection cannot hurt the others. */
    private static final class LastResort extends ChannelInboundHandlerAdapter {
        private final long id;

        LastResort(long id) {
            this.id = id;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("connection {}: {}; closing", id, cause.toString());
            ctx.close();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }

    public static final class Builder {
        private final Map<String, Export> exports = new LinkedHashMap<>();
        private ExportResolver resolver;
        private boolean readOnly;
        private Path unixSocket;
        private BoundUnixSocket bound;
        private String host = "127.0.0.1";
        private int port = -1;

        /**
         * Two event loops per core, at least four: copy tools open a few connections per side and
         * each is best served by its own loop, so that one busy connection never delays another's
         * replies.
         */
        private int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration handshakeTimeout = Duration.ofSeconds(30);
        private ServerListener listener = ServerListener.NONE;
        private TlsConfig tls = TlsConfig.OFF;
        private ServerFaults faults = ServerFaults.NONE;
        private TransmissionObserver.Factory observers = TransmissionObserver.Factory.NONE;

        private Builder() {}

        /** Server-side fault injection ({@link ServerFaults#NONE} by default). */
        public Builder faults(ServerFaults faults) {
            this.faults = java.util.Objects.requireNonNull(faults, "faults");
            return this;
        }

        /** Adds an export; "" is the default name. */
        public Builder device(String exportName, String description, DeviceFactory factory) {
            if (exportName.length() > io.sparserandom.protocol.NbdMagic.MAX_STRING) {
                throw new IllegalArgumentException("export name longer than 4096 bytes");
            }
            exports.put(exportName, new Export(exportName, description, factory));
            return this;
        }

        /** Exports looked up by name as clients ask (instead of {@link #device}). */
        public Builder exports(ExportResolver resolver) {
            this.resolver = java.util.Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        public Builder unixSocket(Path path) {
            this.unixSocket = path;
            return this;
        }

        /**
         * A unix socket already bound and listening, which {@link #start()} takes over instead of
         * binding one: clients that connected before then are served.
         */
        public Builder listening(BoundUnixSocket socket) {
            this.bound = java.util.Objects.requireNonNull(socket, "socket");
            return this;
        }

        /** TCP; port 0 picks a free port. */
        public Builder tcp(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        public Builder eventLoopThreads(int n) {
            this.threads = n;
            return this;
        }

        /**
         * Connections open at once ({@link #DEFAULT_MAX_CONNECTIONS} by default); past it a new
         * connection takes the place of the oldest one still in its handshake, or, when all are
         * past it, is closed before the greeting.
         */
        public Builder maxConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1: " + n);
            }
            this.maxConnections = n;
            return this;
        }

        public Builder handshakeTimeout(Duration d) {
            this.handshakeTimeout = d;
            return this;
        }

        /** TLS through NBD_OPT_STARTTLS ({@link TlsConfig#OFF} by default). */
        public Builder tls(TlsConfig tls) {
            this.tls = java.util.Objects.requireNonNull(tls, "tls");
            return this;
        }

        public Builder listener(ServerListener l) {
            this.listener = l;
            return this;
        }

        /** Per-connection observers of requests and replies (none by default). */
        public Builder transmissionObserver(TransmissionObserver.Factory f) {
            this.observers = java.util.Objects.requireNonNull(f, "observers");
            return this;
        }

        public NbdServer build() {
            if (exports.isEmpty() == (resolver == null)) {
                throw new IllegalStateException(
                        resolver == null ? "no export" : "both devices and an export resolver");
            }
            if (unixSocket == null && bound == null && port < 0) {
                throw new IllegalStateException("neither a unix socket nor a TCP port");
            }
            return new NbdServer(this);
        }
    }
}
