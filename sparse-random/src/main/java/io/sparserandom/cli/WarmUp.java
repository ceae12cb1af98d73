package io.sparserandom.cli;

import io.sparserandom.server.NbdServer;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import picocli.CommandLine;

/**
 * Start-up work done on a second thread while the main thread builds the command line's model
 * (docs/performance.md, "Start-up, third pass"): the main command's annotations, parsed here first
 * so that picocli finds them parsed (each kind of annotation costs the JVM a generated proxy
 * class), then the server's one-time work ({@link NbdServer#prepare()}: epoll's native library,
 * Netty's probes and classes). Each takes the main thread a tenth of a second or so, and the
 * machine has a core to spare then.
 */
final class WarmUp {
    private static Thread thread;

    private WarmUp() {}

    /** Starts the work, once. */
    static synchronized void start() {
        if (thread == null) {
            thread =
                    new Thread(
                            () -> {
                                annotations(SparseRandomCommand.class);
                                NbdServer.prepare();
                            },
                            "warm-up");
            thread.setDaemon(true);
            thread.start();
        }
    }

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

    /** Reads the annotations picocli will read: the class's, its members', its mixins'. */
    @SuppressWarnings("ReturnValueIgnored") // read for the side effect: the JVM caches them
    private static void annotations(Class<?> type) {
        type.getAnnotations();
        for (Field f : type.getDeclaredFields()) {
            f.getAnnotations();
            if (f.isAnnotationPresent(CommandLine.Mixin.class)) {
                annotations(f.getType());
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            m.getAnnotations();
        }
    }
}
