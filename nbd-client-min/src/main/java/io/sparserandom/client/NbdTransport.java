package io.sparserandom.client;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Picks epoll when the native library loads, NIO otherwise; one shared daemon event loop group
 * (threads: max(2, cores), or the system property {@code sparserandom.client.threads}).
 */
final class NbdTransport {
    private NbdTransport() {}

    static final boolean EPOLL = Epoll.isAvailable();

    private static final class Holder {
        static final EventLoopGroup GROUP =
                new MultiThreadIoEventLoopGroup(
                        Integer.getInteger(
                                "sparserandom.client.threads",
                                Math.max(2, Runtime.getRuntime().availableProcessors())),
                        new DefaultThreadFactory("nbd-client", true),
                        EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    static EventLoopGroup group() {
        return Holder.GROUP;
    }

    private static final class Loops {
        static final java.util.List<io.netty.channel.EventLoop> LOOPS = loops();

        private static java.util.List<io.netty.channel.EventLoop> loops() {
            java.util.List<io.netty.channel.EventLoop> list = new java.util.ArrayList<>();
            for (io.netty.util.concurrent.EventExecutor e : Holder.GROUP) {
                list.add((io.netty.channel.EventLoop) e);
            }
            return java.util.List.copyOf(list);
        }
    }

    /**
     * The event loop for connection index {@code i}. Connection i of every pool lands on the same
     * loop, so a copier reading on source connection i and writing on target connection i stays on
     * one thread (no hand-off per request).
     */
    static io.netty.channel.EventLoop loop(int i) {
        return Loops.LOOPS.get(Math.floorMod(i, Loops.LOOPS.size()));
    }

    static Class<? extends Channel> channelClass(NbdUri uri) {
        if (uri.isUnix()) {
            return EPOLL ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class;
        }
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    static SocketAddress address(NbdUri uri) {
        if (uri.isUnix()) {
            return EPOLL
                    ? new DomainSocketAddress(uri.socketPath().toFile())
                    : UnixDomainSocketAddress.of(uri.socketPath());
        }
        return new InetSocketAddress(uri.host(), uri.port());
    }
}
