package io.sparserandom.server;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts open connections and refuses those past a maximum. A refusal is logged once per burst: the
 * first one, then nothing until {@link #QUIET} has passed, when the next refusal's line also says
 * how many went unlogged. A flood of connections therefore costs a few log lines, not one per
 * attempt.
 */
final class ConnectionLimit {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);

    /** How long after a logged refusal further refusals are only counted. */
    static final long QUIET = TimeUnit.SECONDS.toNanos(10);

    private final int max;
    private final LongSupplier nanoClock;
    private int open;
    private long refused;
    private long unlogged;
    private long lastLogged;
    private boolean loggedOnce;

    ConnectionLimit(int max) {
        this(max, System::nanoTime);
    }

    ConnectionLimit(int max, LongSupplier nanoClock) {
        if (max < 1) {
            throw new IllegalArgumentException("the connection limit must be at least 1: " + max);
        }
        this.max = max;
        this.nanoClock = nanoClock;
    }

    int max() {
        return max;
    }

    /**
     * Takes a slot for a new connection; false (and the refusal counted, maybe logged) when all are
     * taken. A true result must be paired with one {@link #release()}.
     */
    synchronized boolean tryAcquire(Object remote) {
        if (open < max) {
            open++;
            return true;
        }
        refused++;
        long now = nanoClock.getAsLong();
        if (!loggedOnce || now - lastLogged >= QUIET) {
            String from = String.valueOf(remote);
            LOG.warn(
                    "refused a connection{}: {} connections are open, the limit (--max-connections){}",
                    from.isEmpty() || from.equals("null") ? "" : " from " + from,
                    open,
                    unlogged == 0
                            ? ""
                            : "; " + unlogged + " more refused since the last such line");
            loggedOnce = true;
            lastLogged = now;
            unlogged = 0;
        } else {
            unlogged++;
        }
        return false;
    }

    synchronized void release() {
        open--;
    }

    synchronized int open() {
        return open;
    }

    /** Connections refused since the start. */
    synchronized long refused() {
        return refused;
    }

    /** Refusals not logged yet (they are counted in the next line). */
    synchronized long unlogged() {
        return unlogged;
    }
}
