package io.sparserandom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.testsupport.RawClient;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ConnectionLimitTest {
    @TempDir Path dir;

    @Test
    void countsAndRefusesPastTheMaximum() {
        ConnectionLimit limit = new ConnectionLimit(2);
        assertTrue(limit.tryAcquire("a"));
        assertTrue(limit.tryAcquire("b"));
        assertFalse(limit.tryAcquire("c"));
        assertEquals(2, limit.open());
        limit.release();
        assertTrue(limit.tryAcquire("d"));
        assertEquals(1, limit.refused());
    }

    @Test
    void logsOncePerBurst() {
        AtomicLong now = new AtomicLong();
        ConnectionLimit limit = new ConnectionLimit(1, now::get);
        assertTrue(limit.tryAcquire("a"));
        assertFalse(limit.tryAcquire("b")); // logged
        assertEquals(0, limit.unlogged());
        for (int i = 0; i < 50; i++) {
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
            assertFalse(limit.tryAcquire("c"));
        }
        assertEquals(50, limit.unlogged(), "a burst is logged once");
        now.addAndGet(ConnectionLimit.QUIET);
        assertFalse(limit.tryAcquire("d")); // logged, naming the 50 unlogged ones
        assertEquals(0, limit.unlogged());
        assertEquals(52, limit.refused());
    }

    @Test
    void zeroIsNotALimit() {
        assertThrows(IllegalArgumentException.class, () -> new ConnectionLimit(0));
        assertThrows(IllegalArgumentException.class, () -> NbdServer.builder().maxConnections(0));
    }

    @Test
    void serverClosesTheConnectionPastTheLimitAndServesOnceOneCloses() throws Exception {
        try (TestServer ts = TestServer.start(dir, new MemoryDevice(), b -> b.maxConnections(2))) {
            RawClient first = ts.client();
            first.greeting();
            try (RawClient second = ts.client()) {
                second.connect("", false, false);
                try (RawClient third = ts.client()) {
                    assertTrue(third.closedByServer(), "the third connection is closed at once");
                }
                assertEquals(1, ts.server.refusedConnections());
                // The two admitted connections are unaffected.
                second.send(0, NbdCommand.READ.wireValue(), 1, 0, 512);
                assertEquals(0, second.simpleReply().error());
                second.read(512);
            }
            first.close();
            // Slots are given back when connections close (asynchronously: retry briefly).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ts.server.connections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            try (RawClient again = ts.client()) {
                again.connect("", false, false);
            }
            assertEquals(1, ts.server.refusedConnections());
        }
    }
}
