package io.sparserandom.server;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A unix socket bound and listening before its server starts ({@link NbdServer.Builder#listening}).
 * A client that connects early waits in the kernel's queue until the server takes the socket over
 * and accepts it, so a command can start while Netty still does. Needs epoll; owned by the server
 * once it is started, else closed (and its file removed) by {@link #close()}.
 */
public final class BoundUnixSocket implements AutoCloseable {
    private final Path path;
    private final Socket socket;
    private boolean adopted;
    private boolean closed;

    private BoundUnixSocket(Path path, Socket socket) {
        this.path = path;
        this.socket = socket;
    }

    /** Whether {@link #bind} can work here: Netty's epoll transport, with its native library. */
    public static boolean available() {
        return Epoll.isAvailable();
    }

    /**
     * Binds a socket at {@code path} (replacing a file there, as the server's own bind does),
     * readable and writable by its owner alone, and listens on it.
     */
    public static BoundUnixSocket bind(Path path) throws IOException {
        if (!available()) {
            throw new IOException("unix sockets bound ahead of the server need epoll");
        }
        Files.deleteIfExists(path);
        Socket socket = Socket.newSocketDomain();
        try {
            socket.bind(new DomainSocketAddress(path.toFile()));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            // The backlog Netty's own bind uses.
            socket.listen(NetUtil.SOMAXCONN);
        } catch (IOException | RuntimeException e) {
            socket.close();
            Files.deleteIfExists(path);
            throw e;
        }
        return new BoundUnixSocket(path, socket);
    }

    public Path path() {
        return path;
    }

    /** Hands the descriptor to the server, which closes it from then on. */
    synchronized int adopt() {
        if (closed || adopted) {
            throw new IllegalStateException(
                    "socket " + path + (closed ? " is closed" : " belongs to a server already"));
        }
        adopted = true;
        return socket.intValue();
    }

    /** Closes the socket and removes its file, unless a server took it over. Idempotent. */
    @Override
    public synchronized void close() {
        if (adopted || closed) {
            return;
        }
        closed = true;
        try {
            socket.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Best effort: the caller is giving up on the socket anyway.
        }
    }
}
