package io.sparserandom.server;

import io.netty.util.AttributeKey;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts open connections and keeps them at most a maximum. Past it, a new connection takes the
 * slot of the oldest connection still negotiating (one that has not finished its handshake), which
 * is closed; only when every open connection is past its handshake is the new one refused. A client
 * finishes its handshake in milliseconds, so connections that stay in it are idle or hostile, and a
 * flood of them (or of connections whose clients left before the server got to them) can no longer
 * lock out a copy tool: it gets a slot and keeps it once it transmits.
 *
 * <p>Both are logged once per burst: the first one, then nothing until {@link #QUIET} has passed,
 * when the next one's line also says how many went unlogged. A flood of connections therefore costs
 * a few log lines, not one per attempt.
 */
final class ConnectionLimit {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);

    /** How long after a logged refusal (or eviction) further ones are only counted. */
    static final long QUIET = TimeUnit.SECONDS.toNanos(10);

    /** A connection's slot, kept on its channel so that the handshake can settle it. */
    static final AttributeKey<Slot> SLOT = AttributeKey.valueOf(ConnectionLimit.class, "slot");

    private final int max;
    private final LongSupplier nanoClock;
    private final Burst refusals = new Burst();
    private final Burst evictions = new Burst();

    /** The slots still negotiating, oldest first. */
    private final LinkedHashSet<Slot> negotiating = new LinkedHashSet<>();

    private int open;
    private long refused;
    private long evicted;

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

    /** One admitted connection's place in the count. */
    final class Slot {
        private final Object remote;
        private final Runnable close;
        private final long since;

        /** Its place went to a newer connection: closing it gives nothing back. */
        private boolean handedOver;

        private boolean released;

        private Slot(Object remote, Runnable close, long since) {
            this.remote = remote;
            this.close = close;
            this.since = since;
        }

        /** The handshake is over: the connection transmits, and keeps its slot until it closes. */
        void settled() {
            synchronized (ConnectionLimit.this) {
                negotiating.remove(this);
            }
        }

        /** The connection closed; called once (later calls do nothing). */
        void release() {
            synchronized (ConnectionLimit.this) {
                if (released) {
                    return;
                }
                released = true;
                negotiating.remove(this);
                if (!handedOver) {
                    open--;
                }
            }
        }
    }

    int max() {
        return max;
    }

    /**
     * A slot for a new connection from {@code remote}, which {@code close} closes if a newer one
     * takes its place before its handshake is over; null (the refusal counted, maybe logged) when
     * every open connection is past its handshake. A slot must be {@link Slot#release released}
     * when its connection closes.
     */
    Slot tryAcquire(Object remote, Runnable close) {
        Slot oldest;
        Slot slot;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (open < max) {
                open++;
                slot = new Slot(remote, close, now);
                negotiating.add(slot);
                return slot;
            }
            Iterator<Slot> first = negotiating.iterator();
            if (!first.hasNext()) {
                refused++;
                if (refusals.log(now)) {
                    LOG.warn(
                            "refused a connection{}: {} connections are open and past their"
                                    + " handshake, the limit (--max-connections){}",
                            from(remote),
                            open,
                            refusals.since());
                }
                return null;
            }
            oldest = first.next();
            first.remove();
            oldest.handedOver = true;
            slot = new Slot(remote, close, now);
            negotiating.add(slot);
            evicted++;
            if (evictions.log(now)) {
                LOG.warn(
                        "closed a connection{} still in its handshake after {} ms, to admit one{}:"
                                + " {} connections are open, the limit (--max-connections){}",
                        from(oldest.remote),
                        TimeUnit.NANOSECONDS.toMillis(now - oldest.since),
                        from(remote),
                        open,
                        evictions.since());
            }
        }
        // Outside the lock: closing may run the connection's close listeners on this thread.
        oldest.close.run();
        return slot;
    }

    private static String from(Object remote) {
        String s = String.valueOf(remote);
        return s.isEmpty() || s.equals("null") ? "" : " from " + s;
    }

    synchronized int open() {
        return open;
    }

    /** Connections refused since the start. */
    synchronized long refused() {
        return refused;
    }

    /** Connections closed in their handshake to admit newer ones, since the start. */
    synchronized long evicted() {
        return evicted;
    }

    /** Refusals not logged yet (they are counted in the next line). */
    synchronized long unlogged() {
        return refusals.unlogged;
    }

    /** Logging once per burst, for one kind of event; guarded by the limit's lock. */
    private static final class Burst {
        private long unlogged;
        private long lastLogged;
        private boolean loggedOnce;
        private long toName;

        /** Whether to log the event happening now; if not, it is counted for the next line. */
        boolean log(long now) {
            if (loggedOnce && now - lastLogged < QUIET) {
                unlogged++;
                return false;
            }
            loggedOnce = true;
            lastLogged = now;
            toName = unlogged;
            unlogged = 0;
            return true;
        }

        /** The end of a logged line: how many went unlogged before it. */
        String since() {
            return toName == 0 ? "" : "; " + toName + " more since the last such line";
        }
    }
}
