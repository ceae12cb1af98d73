package io.sparserandom.protocol;

import io.netty.channel.Channel;
import java.util.ArrayDeque;

/**
 * Bytes held in write payloads that have not fully arrived, shared by every connection of a
 * process. A payload must be held whole before it is verified and written, so without a bound
 * clients that announce 32 MiB writes and send them slowly would each pin 32 MiB. Each connection
 * holds up to {@link #free()} bytes of an incomplete payload on its own (a copy tool's whole
 * request: nbdcopy sends 256 KiB); past that it draws from the shared {@link #limit()}, and when
 * that is spent it stops reading ({@link ReadPause#PAYLOAD}) until another payload completes or its
 * connection closes. Connections are woken one at a time, first paused first, each when there is
 * room for a socket read, so the budget is overrun by at most one socket read per woken connection.
 *
 * <p>So what one connection holds of requests not yet decoded is at most {@code free} plus one
 * socket read, unless the budget lends it more; all connections together at most {@code connections
 * x (free + read) + limit}.
 */
public final class PayloadBudget {
    /** A connection's own allowance: a 256 KiB request, its header and a part of the next read. */
    public static final int DEFAULT_FREE = 512 * 1024;

    /** Shared by all connections past their own allowance. */
    public static final long DEFAULT_LIMIT = 64L * 1024 * 1024;

    /** The largest socket read the server asks for (NbdServer's receive buffer allocator). */
    static final int READ = 256 * 1024;

    /** The server's: one per process, since every connection's payload is the process's memory. */
    public static final PayloadBudget SHARED = new PayloadBudget(DEFAULT_FREE, DEFAULT_LIMIT);

    /** No bound: what a decoder without a budget uses. */
    public static final PayloadBudget UNLIMITED =
            new PayloadBudget(Integer.MAX_VALUE, Long.MAX_VALUE);

    private final int free;
    private final long limit;
    private long used;
    private final ArrayDeque<Channel> waiting = new ArrayDeque<>();

    public PayloadBudget(int free, long limit) {
        if (free < 0 || limit < 0) {
            throw new IllegalArgumentException("free " + free + ", limit " + limit);
        }
        this.free = free;
        this.limit = limit;
    }

    public int free() {
        return free;
    }

    public long limit() {
        return limit;
    }

    /** Bytes lent out now. */
    public synchronized long used() {
        return used;
    }

    /**
     * Records that a connection holds {@code more} bytes past its allowance (they have arrived
     * already, so they are counted whatever the answer). False when the budget is spent: the
     * caller's channel is then paused and queued to be woken.
     */
    boolean take(Channel ch, long more) {
        boolean room;
        synchronized (this) {
            used += more;
            room = used <= limit;
            if (!room && !waiting.contains(ch)) {
                waiting.add(ch);
            }
        }
        if (!room) {
            ReadPause.PAYLOAD.pause(ch);
        }
        return room;
    }

    /** Gives back what a connection held: its payload completed, or it closed. */
    void release(Channel ch, long bytes) {
        ArrayDeque<Channel> wake = new ArrayDeque<>();
        synchronized (this) {
            used -= bytes;
            waiting.remove(ch);
            // Each woken connection may read once more before it is paused again.
            for (long room = limit - used; room >= READ && !waiting.isEmpty(); room -= READ) {
                wake.add(waiting.poll());
            }
        }
        for (Channel w : wake) {
            w.eventLoop().execute(() -> ReadPause.PAYLOAD.resume(w));
        }
    }
}
