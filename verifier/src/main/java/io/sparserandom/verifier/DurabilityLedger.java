package io.sparserandom.verifier;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Which accepted writes, zeroes and trims are durable, by the rules of the NBD spec ("Ordering of
 * messages and writes"), across all connections of one server.
 *
 * <ul>
 *   <li>A request with FUA is durable once accepted.
 *   <li>A successful FLUSH covers every write whose reply was <em>sent</em> before the flush
 *       arrived: on its own connection, or on every connection (closed ones too) when the client
 *       was told multi-conn. A write still in flight when the flush arrives is not covered.
 *   <li>A connection that was not offered flush has no volatile cache: a write is durable once its
 *       reply is sent.
 * </ul>
 *
 * Requests move through three places. {@link VerifyingDevice} reports an accepted request; it waits
 * in its connection's <em>unsent</em> queue until the server reports its reply sent ({@link
 * Connection#replySent}); then it is <em>pending</em> in its connection's sets until a flush takes
 * the whole pending set ({@link Connection#flushArrived}) and, when that flush succeeds, adds it to
 * the <em>durable</em> sets. A failed flush gives its ranges back. A connection that closes leaves
 * its pending ranges as <em>orphans</em>, which only a multi-conn flush can still cover.
 *
 * <p>Ranges are kept in the coordinates of the {@link CoverageLedger}: writes in data coordinates
 * (reaching over the hole that follows), zeroes and trims in hole coordinates. A copy that writes
 * its data in order then keeps one pending range per connection and one durable range in all,
 * whatever the number of runs. A range that is pending and also durable (written twice) counts as
 * durable: the disk holds the right bytes durably.
 *
 * <p>Memory: the unsent queue holds requests whose replies wait in the socket's buffer, so it is
 * bounded by the server's write backpressure (each entry about 50 bytes, against Netty's own ~100
 * per queued reply). Each set, per connection and shared, is a {@link RangeSet} capped at {@code
 * maxRanges} separate ranges (16 to 40 bytes each: about 80 MB per set at the default 2 million); a
 * connection's pending sets are handed over whole at each flush, so they only grow between flushes.
 * A set that hits its cap drops a range, and then durability can no longer be proven: {@link
 * #overflowed()} turns true and the verdict says not durable. That needs a client to leave more
 * than 2 million separate unflushed pieces on one connection (or as many pieces between durable
 * ranges), which a copy in order never does; a client that opens many connections and never flushes
 * costs up to two capped sets per open connection.
 */
public final class DurabilityLedger {
    /** What an accepted request did. */
    public enum Kind {
        WRITE,
        ZERO,
        TRIM
    }

    private final long maxRanges;
    private final RangeSet durableWrites;
    private final RangeSet durableZeroes;
    private RangeSet orphanWrites;
    private RangeSet orphanZeroes;
    private final Map<Long, Connection> open = new HashMap<>();
    private boolean overflowed;
    private long unobserved;
    private long flushesReplied;

    /** FLUSH replies seen so far: with the write counters, tells a cached verdict it is stale. */
    public synchronized long flushesReplied() {
        return flushesReplied;
    }

    public DurabilityLedger(long maxRanges) {
        this.maxRanges = maxRanges;
        this.durableWrites = new RangeSet(maxRanges);
        this.durableZeroes = new RangeSet(maxRanges);
        this.orphanWrites = new RangeSet(maxRanges);
        this.orphanZeroes = new RangeSet(maxRanges);
    }

    /**
     * Starts watching a connection, when its transmission phase begins.
     *
     * @param flushAdvertised whether the client was offered FLUSH (else there is no volatile cache)
     * @param multiConn whether the client was offered multi-conn
     */
    public synchronized Connection open(long id, boolean flushAdvertised, boolean multiConn) {
        Connection c = new Connection(id, flushAdvertised, multiConn);
        open.put(id, c);
        return c;
    }

    /**
     * An accepted request of connection {@code id}, covering [start, end) in its kind's coordinates
     * (see the class comment), or [offset, offset + length) as the client sent it.
     */
    synchronized void accepted(
            long id, Kind kind, long offset, long length, long end, boolean fua) {
        Connection c = open.get(id);
        if (c == null) {
            // Nobody reports this connection's replies: its requests can never be proven durable.
            unobserved++;
            return;
        }
        Accepted a = new Accepted(kind, offset, length, end, fua);
        if (fua) {
            add(durable(kind), offset, end);
        }
        c.unsent.add(a);
    }

    private RangeSet durable(Kind kind) {
        return kind == Kind.WRITE ? durableWrites : durableZeroes;
    }

    private void add(RangeSet set, long start, long end) {
        if (!set.addRange(start, end)) {
            overflowed = true;
        }
    }

    /** Adds every range of {@code from} to {@code to}. */
    private void addAll(RangeSet to, RangeSet from) {
        if (from.overflowed()) {
            overflowed = true;
        }
        from.forEach(
                Long.MIN_VALUE,
                Long.MAX_VALUE,
                (a, b) -> {
                    add(to, a, b);
                    return true;
                });
    }

    /** Whether some set hit its cap, so that durability cannot be proven. */
    public synchronized boolean overflowed() {
        return overflowed;
    }

    /** Requests accepted on connections nobody reported replies for. */
    public synchronized long unobserved() {
        return unobserved;
    }

    public long maxRanges() {
        return maxRanges;
    }

    /**
     * What is not durable now: every range accepted and not covered, in the coordinates of the
     * class comment, as {writes, zeroes and trims}.
     */
    synchronized RangeSet[] undurable() {
        RangeSet writes = new RangeSet(maxRanges);
        RangeSet zeroes = new RangeSet(maxRanges);
        RangeSet[] all = {writes, zeroes};
        addAll(writes, orphanWrites);
        addAll(zeroes, orphanZeroes);
        for (Connection c : open.values()) {
            addAll(writes, c.writes);
            addAll(zeroes, c.zeroes);
            for (Accepted a : c.unsent) {
                if (!a.fua) {
                    add(a.kind == Kind.WRITE ? writes : zeroes, a.offset, a.end);
                }
            }
            for (List<Part> flush : c.flushes) {
                for (Part p : flush) {
                    addAll(writes, p.writes);
                    addAll(zeroes, p.zeroes);
                }
            }
        }
        RangeSet[] left = {new RangeSet(maxRanges), new RangeSet(maxRanges)};
        RangeSet[] durable = {durableWrites, durableZeroes};
        for (int i = 0; i < 2; i++) {
            RangeSet out = left[i];
            RangeSet covered = durable[i];
            all[i].forEach(
                    Long.MIN_VALUE,
                    Long.MAX_VALUE,
                    (a, b) ->
                            covered.forEachGap(
                                    a,
                                    b,
                                    (g0, g1) -> {
                                        add(out, g0, g1);
                                        return true;
                                    }));
        }
        return left;
    }

    /** A request accepted by the verifier, waiting for its reply to be sent. */
    private record Accepted(Kind kind, long offset, long length, long end, boolean fua) {}

    /** Ranges a flush took from one connection (null: the orphans), to give back if it fails. */
    private record Part(Connection owner, RangeSet writes, RangeSet zeroes) {}

    /** One connection's state; its methods are told by the server, in its order. */
    public final class Connection {
        private final long id;
        private final boolean flushAdvertised;
        private final boolean multiConn;
        private final ArrayDeque<Accepted> unsent = new ArrayDeque<>();
        private final ArrayDeque<List<Part>> flushes = new ArrayDeque<>();
        private RangeSet writes = new RangeSet(maxRanges);
        private RangeSet zeroes = new RangeSet(maxRanges);
        private boolean closed;

        private Connection(long id, boolean flushAdvertised, boolean multiConn) {
            this.id = id;
            this.flushAdvertised = flushAdvertised;
            this.multiConn = multiConn;
        }

        public long id() {
            return id;
        }

        /**
         * The reply to a write, zero or trim of [offset, offset + length) was sent; {@code ok} when
         * it said success. Matched with what the verifier accepted, oldest first.
         */
        public void replySent(Kind kind, long offset, long length, boolean ok) {
            synchronized (DurabilityLedger.this) {
                Accepted a = takeUnsent(kind, offset, length);
                if (a == null || a.fua || !ok) {
                    return; // durable already, or never accepted as far as the client knows
                }
                if (!flushAdvertised) {
                    add(durable(kind), a.offset, a.end); // no volatile cache to lose it from
                } else {
                    add(kind == Kind.WRITE ? writes : zeroes, a.offset, a.end);
                }
            }
        }

        private Accepted takeUnsent(Kind kind, long offset, long length) {
            // Replies leave in the order requests were handled, so this is the head of the queue.
            for (Iterator<Accepted> it = unsent.iterator(); it.hasNext(); ) {
                Accepted a = it.next();
                if (a.kind == kind && a.offset == offset && a.length == length) {
                    it.remove();
                    return a;
                }
            }
            return null;
        }

        /**
         * A FLUSH arrived: it will cover what is pending now, here or under multi-conn everywhere.
         */
        public void flushArrived() {
            synchronized (DurabilityLedger.this) {
                List<Part> taken = new ArrayList<>();
                if (multiConn) {
                    for (Connection c : open.values()) {
                        taken.add(c.takePending());
                    }
                    taken.add(new Part(null, orphanWrites, orphanZeroes));
                    orphanWrites = new RangeSet(maxRanges);
                    orphanZeroes = new RangeSet(maxRanges);
                } else {
                    taken.add(takePending());
                }
                flushes.add(taken);
            }
        }

        private Part takePending() {
            Part p = new Part(this, writes, zeroes);
            writes = new RangeSet(maxRanges);
            zeroes = new RangeSet(maxRanges);
            return p;
        }

        /** The oldest FLUSH's reply was sent: what it took is durable when {@code ok}. */
        public void flushReplied(boolean ok) {
            synchronized (DurabilityLedger.this) {
                flushesReplied++;
                List<Part> taken = flushes.poll();
                if (taken == null) {
                    return;
                }
                for (Part p : taken) {
                    if (ok) {
                        addAll(durableWrites, p.writes);
                        addAll(durableZeroes, p.zeroes);
                    } else {
                        giveBack(p);
                    }
                }
            }
        }

        private void giveBack(Part p) {
            boolean live = p.owner != null && !p.owner.closed;
            addAll(live ? p.owner.writes : orphanWrites, p.writes);
            addAll(live ? p.owner.zeroes : orphanZeroes, p.zeroes);
        }

        /**
         * The connection closed: what is not durable stays so, unless a multi-conn flush on another
         * connection covers it.
         */
        public void closed() {
            synchronized (DurabilityLedger.this) {
                if (closed) {
                    return;
                }
                closed = true;
                open.remove(id);
                // Flushes never answered, and requests whose reply was never reported, are as
                // good as unflushed.
                for (List<Part> taken : flushes) {
                    for (Part p : taken) {
                        giveBack(p);
                    }
                }
                flushes.clear();
                for (Accepted a : unsent) {
                    if (!a.fua) {
                        add(a.kind == Kind.WRITE ? orphanWrites : orphanZeroes, a.offset, a.end);
                    }
                }
                unsent.clear();
                addAll(orphanWrites, writes);
                addAll(orphanZeroes, zeroes);
                writes = new RangeSet(1);
                zeroes = new RangeSet(1);
            }
        }
    }
}
