package io.sparserandom.server;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the server-side faults share across connections: the rate cap's clock and the byte count of
 * {@code --disconnect-after}. One per server.
 */
final class FaultState {
    private final ServerFaults faults;
    private final double nanosPerByte;
    private final AtomicLong moved = new AtomicLong();
    private final AtomicBoolean dropped = new AtomicBoolean();
    private final Runnable dropAll;

    /** When the rate cap's next byte may move (System.nanoTime()); guarded by this. */
    private long nextFree = Long.MIN_VALUE;

    FaultState(ServerFaults faults, Runnable dropAll) {
        this.faults = faults;
        this.nanosPerByte = faults.rate() > 0 ? 1e9 / faults.rate() : 0;
        this.dropAll = dropAll;
    }

    ServerFaults faults() {
        return faults;
    }

    /**
     * Nanoseconds a request moving {@code bytes} must wait under the rate cap. The cap is a virtual
     * clock shared by every connection (a token bucket with no burst): each request reserves its
     * bytes' time after the previous reservation and is served when its slot begins, so the bytes
     * served in any interval never run ahead of the rate by more than one request.
     */
    synchronized long rateWait(long bytes, long now) {
        if (nanosPerByte == 0 || bytes <= 0) {
            return 0;
        }
        long start = nextFree == Long.MIN_VALUE || nextFree - now < 0 ? now : nextFree;
        nextFree = start + (long) Math.ceil(bytes * nanosPerByte);
        return start - now;
    }

    /**
     * Counts {@code bytes} of data; true for the one request that takes the total to {@code
     * --disconnect-after}, after every connection was told to drop.
     */
    boolean moveAndMaybeDrop(long bytes) {
        long limit = faults.disconnectAfter();
        if (limit <= 0 || bytes <= 0 || dropped.get()) {
            return false;
        }
        if (moved.addAndGet(bytes) >= limit && dropped.compareAndSet(false, true)) {
            dropAll.run();
            return true;
        }
        return false;
    }
}
