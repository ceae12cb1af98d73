package io.sparserandom.cli;

import io.sparserandom.server.BoundUnixSocket;
import io.sparserandom.server.NbdServer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.SubstituteLogger;

/**
 * The server's one-time start work ({@link NbdServer#prepare()}: epoll's native library, Netty's
 * probes and classes) on a second thread while the main thread builds the command line's model
 * (docs/performance.md, "Start-up, third pass"). Each took the main thread 50-100 ms, and the
 * machine has a core to spare then. On the way it binds the {@code --run} command's unix socket
 * when asked ({@link #listen}), so that the command can start while Netty still does.
 */
final class WarmUp {
    private static Thread thread;

    /** A socket the main thread asked for and is waiting on, or null. */
    private static Path requested;

    private static CompletableFuture<BoundUnixSocket> answer;

    /** Set once the thread takes no more requests. */
    private static boolean done;

    private WarmUp() {}

    /** Starts the work, once. */
    static synchronized void start() {
        if (thread == null) {
            thread = new Thread(WarmUp::run, "warm-up");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static void run() {
        try {
            NettyLogging.install();
            // Binding needs epoll's library only: a request made meanwhile is answered before the
            // rest of the work, which takes about as long again.
            BoundUnixSocket.available();
            answer(false);
            NbdServer.prepare();
        } finally {
            answer(true);
        }
    }

    private static void answer(boolean last) {
        Path path;
        CompletableFuture<BoundUnixSocket> reply;
        synchronized (WarmUp.class) {
            path = requested;
            reply = answer;
            requested = null;
            answer = null;
            done |= last;
        }
        if (reply == null) {
            return;
        }
        try {
            reply.complete(BoundUnixSocket.bind(path));
        } catch (Exception | LinkageError e) {
            reply.completeExceptionally(e);
        }
    }

    /**
     * A unix socket at {@code path}, bound and listening, made on the warm-up thread (where every
     * Netty class is initialized until {@link #await()}); or null when there is no warm-up, it is
     * over, or the bind failed, and the server should bind the socket itself as usual (its error is
     * then the one reported).
     */
    static BoundUnixSocket listen(Path path) {
        CompletableFuture<BoundUnixSocket> reply = new CompletableFuture<>();
        synchronized (WarmUp.class) {
            if (thread == null || done) {
                return null;
            }
            requested = path;
            answer = reply;
        }
        meanwhile();
        try {
            return reply.join();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(WarmUp.class)
                    .debug("binding {} ahead of the server: {}", path, e.getCause());
            return null;
        }
    }

    /**
     * What the main thread does while it waits: sets slf4j up, which the warm-up thread's first
     * steps no longer need ({@link NettyLogging}) and later ones do.
     */
    private static void meanwhile() {
        LoggerFactory.getILoggerFactory();
    }

    /**
     * Loaded with this class, on every run. A logger the warm-up thread asks for while the main
     * thread sets slf4j up is one of these, in some runs only; loaded every time, the class is in
     * the class-data archive the launcher trains on one run, not read from the large jar in the
     * middle of a copy.
     */
    @SuppressWarnings("unused")
    private static final Class<?> SUBSTITUTE = SubstituteLogger.class;

    /**
     * Waits for it to end. A server starts only after this, so that no Netty class is initialized
     * on two threads at once: their initializers refer to one another, and two threads each holding
     * one could wait for each other forever.
     */
    static void await() {
        Thread t;
        synchronized (WarmUp.class) {
            t = thread;
        }
        if (t == null) {
            return;
        }
        meanwhile();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
