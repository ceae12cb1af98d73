package io.sparserandom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    /** Closes nothing; counts how often it was asked to. */
    private static final class Closer implements Runnable {
        int closed;

        @Override
        public void run() {
            closed++;
        }
    }

    @Test
    void countsAndRefusesPastTheMaximumOnceAllArePastTheirHandshake() {
        ConnectionLimit limit = new ConnectionLimit(2);
        ConnectionLimit.Slot a = limit.tryAcquire("a", new Closer());
        ConnectionLimit.Slot b = limit.tryAcquire("b", new Closer());
        a.settled();
        b.settled();
        assertNull(limit.tryAcquire("c", new Closer()));
        assertEquals(2, limit.open());
        a.release();
        a.release(); // a second release gives nothing back
        assertEquals(1, limit.open());
        assertNotNull(limit.tryAcquire("d", new Closer()));
        assertEquals(1, limit.refused());
        assertEquals(0, limit.evicted());
    }

    @Test
    void pastTheMaximumTheOldestStillNegotiatingMakesRoom() {
        ConnectionLimit limit = new ConnectionLimit(3);
        Closer old = new Closer();
        Closer copying = new Closer();
        Closer young = new Closer();
        ConnectionLimit.Slot oldSlot = limit.tryAcquire("old", old);
        limit.tryAcquire("copying", copying).settled();
        ConnectionLimit.Slot youngSlot = limit.tryAcquire("young", young);

        Closer newcomer = new Closer();
        ConnectionLimit.Slot newSlot = limit.tryAcquire("newcomer", newcomer);
        assertNotNull(newSlot, "admitted in the place of the oldest negotiating connection");
        assertEquals(1, old.closed, "the oldest still negotiating is closed");
        assertEquals(0, copying.closed, "a connection past its handshake is never closed");
        assertEquals(0, young.closed);
        assertEquals(3, limit.open());
        assertEquals(1, limit.evicted());
        // Its close gives nothing back: its place is the newcomer's.
        oldSlot.release();
        assertEquals(3, limit.open());

        // Next the young one, then the newcomer (in order of arrival), never the copying one.
        assertNotNull(limit.tryAcquire("second", new Closer()));
        assertEquals(1, young.closed);
        youngSlot.release();
        newSlot.settled();
        Closer third = new Closer();
        ConnectionLimit.Slot thirdSlot = limit.tryAcquire("third", third);
        assertNotNull(thirdSlot, "the one that came second makes room");
        assertEquals(0, newcomer.closed, "settled before that");
        thirdSlot.settled();
        assertNull(limit.tryAcquire("fourth", new Closer()), "all are past their handshake");
        assertEquals(3, limit.open());
        assertEquals(3, limit.evicted());
        assertEquals(1, limit.refused());
    }

    @Test
    void logsOncePerBurst() {
        AtomicLong now = new AtomicLong();
        ConnectionLimit limit = new ConnectionLimit(1, now::get);
        limit.tryAcquire("a", new Closer()).settled();
        assertNull(limit.tryAcquire("b", new Closer())); // logged
        assertEquals(0, limit.unlogged());
        for (int i = 0; i < 50; i++) {
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
            assertNull(limit.tryAcquire("c", new Closer()));
        }
        assertEquals(50, limit.unlogged(), "a burst is logged once");
        now.addAndGet(ConnectionLimit.QUIET);
        assertNull(limit.tryAcquire("d", new Closer())); // logged, naming the 50 unlogged ones
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
            first.connect("", false, false);
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

    @Test
    void aFloodStillNegotiatingCannotLockOutACopy() throws Exception {
        try (TestServer ts = TestServer.start(dir, new MemoryDevice(), b -> b.maxConnections(3))) {
            RawClient copying = ts.client();
            copying.connect("", false, false);
            // Two connections that stay in the handshake take the other slots.
            RawClient idle = ts.client();
            idle.greeting();
            RawClient silent = ts.client();
            silent.greeting();
            // A copy tool's connection still gets in, in the place of the oldest of them.
            try (RawClient newcomer = ts.client()) {
                newcomer.connect("", false, false);
                assertTrue(idle.closedByServer(), "the oldest still negotiating was closed");
                assertEquals(1, ts.server.evictedConnections());
                // The next takes the silent one's place; then all three are past their handshake.
                try (RawClient another = ts.client()) {
                    another.connect("", false, false);
                    assertTrue(silent.closedByServer());
                    try (RawClient late = ts.client()) {
                        assertTrue(late.closedByServer(), "refused: all are past their handshake");
                    }
                    assertEquals(1, ts.server.refusedConnections());
                    assertEquals(2, ts.server.evictedConnections());
                    for (RawClient c : new RawClient[] {copying, newcomer, another}) {
                        c.send(0, NbdCommand.READ.wireValue(), 7, 0, 512);
                        assertEquals(0, c.simpleReply().error());
                        c.read(512);
                    }
                }
            }
            copying.close();
            idle.close();
            silent.close();
        }
    }
}
