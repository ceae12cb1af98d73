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
        static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(
                Integer.getInteger("sparserandom.client.threads", Math.max(2, Runtime.getRuntime().availableProcessors())),
                new DefaultThreadFactory("nbd-client", true),
                EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    static EventLoopGroup group() { return Holder.GROUP; }

    static Class<? extends Channel> channelClass(NbdUri uri) {
        if (uri.isUnix()) {
            return EPOLL ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class;
        }
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    static SocketAddress address(NbdUri uri) {
        if (uri.isUnix()) {
            return EPOLL ? new DomainSocketAddress(uri.socketPath().toFile())
                    : UnixDomainSocketAddress.of(uri.socketPath());
        }
        return new InetSocketAddress(uri.host(), uri.port());
    }
}
