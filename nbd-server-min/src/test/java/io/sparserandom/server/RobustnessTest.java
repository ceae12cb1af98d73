package io.sparserandom.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdMagic;
import io.sparserandom.protocol.NbdOption;
import io.sparserandom.testsupport.RawClient;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Misbehaving clients; after each the server must still serve a new connection. */
@Timeout(60)
class RobustnessTest {
    private static final int READ = NbdCommand.READ.wireValue();

    @TempDir Path dir;
    TestServer ts;

    @BeforeEach
    void start() throws Exception {
        ts =
                TestServer.start(
                        dir, new MemoryDevice(), b -> b.handshakeTimeout(Duration.ofSeconds(1)));
    }

    @AfterEach
    void stillServes() throws Exception {
        try (RawClient c = ts.client()) {
            c.connect("", false, false);
            c.send(0, READ, 1, 0, 64);
            assertEquals(0, c.simpleReply().error());
            assertArrayEquals(ts.device.copy(0, 64), c.read(64).array());
        } finally {
            ts.close();
        }
    }

    @Test
    void clientKilledMidWritePayload() throws Exception {
        try (RawClient c = ts.client()) {
            c.connect("", false, false);
            ByteBuffer b =
                    RawClient.request(
                            0, NbdCommand.WRITE.wireValue(), 1, 0, 1 << 20, new byte[1 << 20]);
            b.limit(28 + 1000);
            c.write(b);
        }
    }

    @Test
    void clientKilledMidHandshake() throws Exception {
        try (RawClient c = ts.client()) {
            c.hello();
            c.write(ByteBuffer.allocate(10).putLong(0, NbdMagic.IHAVEOPT));
        }
    }

    @Test
    void clientKilledMidRead() throws Exception {
        try (RawClient c = ts.client()) {
            c.connect("", false, false);
            c.send(0, READ, 1, 0, 32 << 20);
            c.read(1000);
        }
    }

    @Test
    void thousandConnectCloseInARow() throws Exception {
        for (int i = 0; i < 1000; i++) {
            new RawClient(ts.socket).close();
        }
    }

    @Test
    void halfClosedSocketStillGetsItsReply() throws Exception {
        try (RawClient c = ts.client()) {
            c.connect("", false, false);
            c.send(0, READ, 77, 4096, 100);
            c.shutdownOutput();
            RawClient.SimpleReply r = c.simpleReply();
            assertEquals(77, r.cookie());
            assertArrayEquals(ts.device.copy(4096, 100), c.read(100).array());
        }
    }

    @Test
    void garbageAfterGreetingDisconnects() throws Exception {
        try (RawClient c = ts.client()) {
            c.greeting();
            byte[] junk = new byte[4096];
            new java.util.Random(3).nextBytes(junk);
            junk[0] = 0x7f; // unknown client flags
            c.write(junk);
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void handshakeTimeout() throws Exception {
        // Only a lower bound, from before the connection exists: a loaded machine can make the
        // close
        // late (the class's @Timeout catches a server that never closes) but never early.
        long t0 = System.nanoTime();
        try (RawClient c = ts.client()) {
            c.greeting();
            assertTrue(c.closedByServer());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms > 500, ms + " ms: closed before the 1 s handshake timeout");
        }
    }

    @Test
    void moreThan1024OptionsDisconnects() throws Exception {
        try (RawClient c = ts.client()) {
            c.hello();
            ByteBuffer all = ByteBuffer.allocate(1100 * 16);
            for (int i = 0; i < 1100; i++) {
                all.putLong(NbdMagic.IHAVEOPT)
                        .putInt(NbdOption.STRUCTURED_REPLY.wireValue())
                        .putInt(0);
            }
            c.write(all.flip());
            int acks = 0;
            try {
                while (true) {
                    c.optionReply();
                    acks++;
                }
            } catch (java.io.IOException expected) {
                // closed
            }
            assertEquals(1024, acks);
        }
    }

    /** What the server's allocator (Netty 4.2: adaptive by default) and the pooled one hold. */
    static long usedDirectMemory() {
        long used = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p) {
            used = Math.max(used, p.metric().usedDirectMemory());
        }
        return Math.max(used, PlatformDependent.usedDirectMemory());
    }

    @Test
    void clientThatNeverReadsIsThrottled() throws Exception {
        long baseline = usedDirectMemory();
        try (RawClient slow = ts.client()) {
            slow.connect("", false, false);
            ByteBuffer all = ByteBuffer.allocate(10_000 * 28);
            for (int i = 0; i < 10_000; i++) {
                all.put(RawClient.request(0, READ, i, (i % 60) * (1L << 20), 1 << 20, null));
            }
            all.flip();
            // The server stops reading once its replies back up; writes then block, so push from a
            // thread.
            Thread pusher =
                    new Thread(
                            () -> {
                                try {
                                    slow.write(all);
                                } catch (Exception e) {
                                    // closed at the end of the test
                                }
                            });
            pusher.setDaemon(true);
            pusher.start();
            long peak = 0;
            for (int i = 0; i < 20; i++) {
                Thread.sleep(100);
                peak = Math.max(peak, usedDirectMemory());
            }
            // Replies past the 4 MiB high water mark are not produced until the client reads:
            // measured peak 16 MiB above the baseline alone, 1 MiB in the full suite; without the
            // parking of requests
            // (checked by disabling it in TransmissionHandler) over 1 GiB within the two seconds.
            System.out.printf(
                    "throttle: direct memory %d MiB before, peak %d MiB%n",
                    baseline >> 20, peak >> 20);
            assertTrue(
                    peak - baseline < 64L << 20,
                    "direct memory "
                            + (baseline >> 20)
                            + " MiB before, peak "
                            + (peak >> 20)
                            + " MiB");
            // Another connection is served meanwhile.
            try (RawClient c = ts.client()) {
                c.connect("", false, false);
                c.send(0, READ, 5, 0, 4096);
                assertEquals(0, c.simpleReply().error());
                assertArrayEquals(ts.device.copy(0, 4096), c.read(4096).array());
            }
            // The slow client then reads a few replies: they are intact and in order.
            for (int i = 0; i < 3; i++) {
                RawClient.SimpleReply r = slow.simpleReply();
                assertEquals(i, r.cookie());
                assertArrayEquals(
                        ts.device.copy((i % 60) * (1L << 20), 1 << 20), slow.read(1 << 20).array());
            }
        }
    }
}
