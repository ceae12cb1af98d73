package io.sparserandom.cli;

import java.util.concurrent.atomic.AtomicReference;
// sun.misc.Signal is the only way to trap SIGINT and SIGTERM on JDK 17. javac warns about it and
// JDK 17's javac cannot suppress that warning.
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM as events, so that the main thread can end the --run command, stop serving,
 * write the verdict and exit with its status (a JVM shutdown hook cannot choose the exit status).
 */
final class Signals {
    private final AtomicReference<Runnable> action = new AtomicReference<>(() -> {});

    Signals() {
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(
                    new Signal(name),
                    s -> {
                        Runnable r = action.get();
                        new Thread(r, "signal-" + name).start();
                    });
        }
    }

    void onSignal(Runnable r) {
        action.set(r);
    }
}
