package io.sparserandom.faults;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The requests that failed under a {@code once} rule and whose retry has not come yet: how a retry
 * is told from a first attempt. Bounded: a fixed table of {@code capacity} slots (a power of two)
 * holding 64-bit request keys, lock-free. A key lives in the {@link #WINDOW} slots after its hash
 * position; {@link #remember} fails when all of them are taken, which can happen before the table
 * holds {@code capacity} keys.
 *
 * <p>When the table is full the caller does not inject the fault (and counts that): a {@code once}
 * fault that could not be remembered would fail its retry too, breaking the promise that a retry
 * succeeds. Only in that case does the failing set depend on arrival order. A key is forgotten when
 * its retry arrives, so the same request asked again later (a second pass) is a first attempt
 * again. A tool that gives up without retrying leaves its keys behind; the default 64K slots are
 * far more than any tool has requests in flight.
 */
final class RetryMemory {
    /** Slots probed per key. */
    static final int WINDOW = 16;

    static final int DEFAULT_CAPACITY = 1 << 16;
    private static final long EMPTY = 0;

    private final AtomicLongArray slots;
    private final int mask;

    RetryMemory(int capacity) {
        if (capacity < WINDOW || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException(
                    "capacity " + capacity + " is not a power of two >= " + WINDOW);
        }
        slots = new AtomicLongArray(capacity);
        mask = capacity - 1;
    }

    /** Records a failed first attempt; false when there is no room. */
    boolean remember(long key) {
        long k = nonEmpty(key);
        int at = index(k);
        for (int p = 0; p < WINDOW; p++) {
            if (slots.compareAndSet((at + p) & mask, EMPTY, k)) {
                return true;
            }
        }
        return false;
    }

    /** True, and forgets the key, when it was remembered: this request is a retry. */
    boolean takeRetry(long key) {
        long k = nonEmpty(key);
        int at = index(k);
        for (int p = 0; p < WINDOW; p++) {
            int s = (at + p) & mask;
            if (slots.get(s) == k && slots.compareAndSet(s, k, EMPTY)) {
                return true;
            }
        }
        return false;
    }

    /** Keys held now (a scan; for tests and reports). */
    int size() {
        int n = 0;
        for (int i = 0; i < slots.length(); i++) {
            n += slots.get(i) != EMPTY ? 1 : 0;
        }
        return n;
    }

    private static long nonEmpty(long key) {
        return key == EMPTY ? 1 : key;
    }

    private int index(long key) {
        return (int) (FaultHash.mix(key) & mask);
    }
}
