package io.sparserandom.server;

import static io.sparserandom.server.MemoryDevice.BLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdCommandFlag;
import io.sparserandom.protocol.NbdReplyType;
import io.sparserandom.testsupport.RawClient;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 64 connections for a bounded time doing random reads, writes of the bytes the disk already holds,
 * and block status; every reply is checked against the initial pattern, which therefore never
 * changes. Afterwards threads, heap and Netty direct memory are back near their baselines.
 */
@Timeout(90)
class LoadTest {
    private static final int CONNECTIONS = 64;
    private static final long MILLIS = Long.getLong("load.millis", 10_000);

    /**
     * Requests each connection makes even when the time is up, so a loaded machine cannot make the
     * run vacuous.
     */
    private static final int MIN_REQUESTS = 11;

    @TempDir Path dir;

    private static byte expected(long off) {
        return MemoryDevice.isInitialHole((int) (off / BLOCK)) ? 0 : MemoryDevice.pattern(off);
    }

    /** Heap in use after a few forced collections. */
    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void manyConnectionsMixedRequests() throws Exception {
        int threadsBefore = Thread.activeCount();
        long heapBefore = heapAfterGc();
        long directBefore = RobustnessTest.usedDirectMemory();
        long directLoaded;
        AtomicLong requests = new AtomicLong();
        long size = MemoryDevice.DEFAULT_SIZE;
        try (TestServer ts = TestServer.start(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
            long end = System.nanoTime() + MILLIS * 1_000_000;
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < CONNECTIONS; t++) {
                int seed = t;
                futures.add(
                        pool.submit(
                                () -> {
                                    Random rnd = new Random(seed);
                                    try (RawClient c = ts.client()) {
                                        c.connect("", true, true);
                                        long cookie = 0;
                                        while (cookie < MIN_REQUESTS || System.nanoTime() < end) {
                                            int len = 1 + rnd.nextInt(256 * 1024);
                                            long off = (long) (rnd.nextDouble() * (size - len));
                                            int op = rnd.nextInt(3);
                                            cookie++;
                                            if (op == 0) {
                                                c.send(
                                                        0,
                                                        NbdCommand.READ.wireValue(),
                                                        cookie,
                                                        off,
                                                        len);
                                                byte[] got = new byte[len];
                                                for (RawClient.Chunk ch : c.chunks()) {
                                                    assertEquals(cookie, ch.cookie());
                                                    ByteBuffer b = ch.buf();
                                                    int at = (int) (b.getLong() - off);
                                                    if (ch.type()
                                                            == NbdReplyType.OFFSET_DATA
                                                                    .wireValue()) {
                                                        b.get(got, at, b.remaining());
                                                    } else {
                                                        assertEquals(
                                                                NbdReplyType.OFFSET_HOLE
                                                                        .wireValue(),
                                                                ch.type());
                                                    }
                                                }
                                                for (int i = 0; i < len; i++) {
                                                    if (got[i] != expected(off + i)) {
                                                        throw new AssertionError(
                                                                "byte at " + (off + i));
                                                    }
                                                }
                                            } else if (op == 1) {
                                                byte[] data = new byte[len];
                                                for (int i = 0; i < len; i++) {
                                                    data[i] = expected(off + i);
                                                }
                                                c.sendWrite(NbdCommandFlag.FUA, cookie, off, data);
                                                RawClient.Chunk ch = c.chunk();
                                                assertEquals(
                                                        NbdReplyType.NONE.wireValue(),
                                                        ch.type(),
                                                        "write at " + off);
                                                assertEquals(cookie, ch.cookie());
                                            } else {
                                                c.send(
                                                        0,
                                                        NbdCommand.BLOCK_STATUS.wireValue(),
                                                        cookie,
                                                        off,
                                                        len);
                                                ByteBuffer b = c.chunk().buf();
                                                b.getInt();
                                                long pos = off;
                                                while (b.hasRemaining()) {
                                                    long l = Integer.toUnsignedLong(b.getInt());
                                                    int state = b.getInt();
                                                    // Writes of the same bytes may allocate hole
                                                    // blocks: a hole may read
                                                    // as data, but data never as a hole.
                                                    if (!MemoryDevice.isInitialHole(
                                                            (int) (pos / BLOCK))) {
                                                        assertEquals(0, state, "at " + pos);
                                                    }
                                                    pos += l;
                                                }
                                                assertEquals(off + len, pos);
                                            }
                                            requests.incrementAndGet();
                                        }
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            directLoaded = RobustnessTest.usedDirectMemory();
        }
        System.out.printf(
                "load: %d connections, %d requests in %d ms%n",
                CONNECTIONS, requests.get(), MILLIS);
        assertTrue(requests.get() >= CONNECTIONS * MIN_REQUESTS, "requests: " + requests.get());
        // Generous: the wait ends as soon as the threads are gone; only a leak uses it all.
        long deadline = System.currentTimeMillis() + 30_000;
        while (Thread.activeCount() > threadsBefore + 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(
                Thread.activeCount() <= threadsBefore + 1,
                "threads before " + threadsBefore + ", after " + Thread.activeCount());
        // Everything the server held is released once it is closed: the heap (the 64 MiB device
        // included) is back near where it was, and so is Netty's direct memory. Netty 4.2's
        // adaptive allocator keeps a few free chunks for reuse (measured: about 4 MiB after a run),
        // hence the margin; tens of thousands of requests ran, so even 1 KiB kept per request
        // would exceed it.
        long heapAfter = heapAfterGc();
        long directAfter = RobustnessTest.usedDirectMemory();
        System.out.printf(
                "load: heap %d -> %d MiB; direct %d -> %d (loaded) -> %d MiB%n",
                heapBefore >> 20,
                heapAfter >> 20,
                directBefore >> 20,
                directLoaded >> 20,
                directAfter >> 20);
        assertTrue(
                heapAfter < heapBefore + (48L << 20),
                "heap " + (heapBefore >> 20) + " MiB before, " + (heapAfter >> 20) + " MiB after");
        assertTrue(
                directAfter <= directBefore + (16L << 20),
                "direct memory "
                        + (directBefore >> 20)
                        + " MiB before, "
                        + (directAfter >> 20)
                        + " MiB after");
    }
}
