package io.sparserandom.cli;

import io.sparserandom.server.NbdServer;

/**
 * The server's one-time start work ({@link NbdServer#prepare()}: epoll's native library, Netty's
 * probes and classes) on a second thread while the main thread builds the command line's model
 * (docs/performance.md, "Start-up, third pass"). Each took the main thread 50-100 ms, and the
 * machine has a core to spare then.
 */
final class WarmUp {
    private static Thread thread;

    private WarmUp() {}

    /** Starts the work, once. */
    static synchronized void start() {
        if (thread == null) {
            thread = new Thread(NbdServer::prepare, "warm-up");
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
}
