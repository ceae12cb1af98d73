package io.sparserandom.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryMemoryTest {
    @Test
    void remembersUntilTheRetry() {
        RetryMemory m = new RetryMemory(64);
        assertFalse(m.takeRetry(5));
        assertTrue(m.remember(5));
        assertTrue(m.takeRetry(5));
        assertFalse(m.takeRetry(5), "forgotten after the retry");
        assertEquals(0, m.size());
    }

    @Test
    void keyZeroWorks() {
        RetryMemory m = new RetryMemory(64);
        assertTrue(m.remember(0));
        assertTrue(m.takeRetry(0));
    }

    @Test
    void neverHoldsMoreThanItsCapacity() {
        RetryMemory m = new RetryMemory(256);
        int stored = 0;
        for (long k = 1; k <= 10_000; k++) {
            stored += m.remember(k * 0x9e3779b97f4a7c15L) ? 1 : 0;
        }
        assertEquals(256, m.size());
        assertEquals(256, stored);
        assertFalse(m.remember(-7), "full");
    }

    @Test
    void fillsMostOfItsSlotsBeforeRefusing() {
        RetryMemory m = new RetryMemory(4096);
        int k = 1;
        while (m.remember(FaultHash.mix(k))) {
            k++;
        }
        // With 16-slot windows the first refusal comes late: the bound is close to the capacity.
        assertTrue(k > 4096 / 2, "first refusal after " + k + " keys");
    }

    @Test
    void concurrentRememberAndTakeLoseNothing() throws Exception {
        RetryMemory m = new RetryMemory(1 << 16);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger taken = new AtomicInteger();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int base = t * 5000;
                fs.add(
                        pool.submit(
                                () -> {
                                    for (int i = 0; i < 5000; i++) {
                                        assertTrue(m.remember(FaultHash.mix(base + i + 1)));
                                    }
                                    for (int i = 0; i < 5000; i++) {
                                        taken.addAndGet(
                                                m.takeRetry(FaultHash.mix(base + i + 1)) ? 1 : 0);
                                    }
                                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(20_000, taken.get());
        assertEquals(0, m.size());
    }

    @Test
    void capacityMustBeAPowerOfTwoOfAtLeastOneWindow() {
        assertThrows(IllegalArgumentException.class, () -> new RetryMemory(100));
        assertThrows(IllegalArgumentException.class, () -> new RetryMemory(RetryMemory.WINDOW / 2));
    }
}
