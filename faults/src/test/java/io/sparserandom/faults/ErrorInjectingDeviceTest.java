package io.sparserandom.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.Errno;
import io.sparserandom.device.ExpectedContent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ErrorInjectingDeviceTest {
    private static final long SIZE = 1L << 40;
    private final TestDisk disk = TestDisk.allData(1 << 20);
    private final FaultCounters counters = new FaultCounters();

    @AfterEach
    void close() {
        disk.close();
    }

    private ErrorInjectingDevice device(long seed, String... rules) {
        List<ErrorRule> r = new ArrayList<>();
        for (String s : rules) {
            r.add(ErrorRule.parse(s));
        }
        return ErrorInjectingDevice.wrap(disk, r, seed, counters);
    }

    /** A request as a test sends it. */
    private record Req(FaultCommand command, long offset, long length) {}

    /**
     * Sends {@code r}; the errno it failed with, or null. Offsets past the test disk are fine: it
     * ignores them for non-reads.
     */
    private static Errno send(BlockDevice d, Req r) {
        try {
            switch (r.command()) {
                case READ -> {
                    ByteBuf b = Unpooled.buffer((int) r.length());
                    try {
                        d.read(r.offset() % (1 << 19), (int) r.length(), b);
                    } finally {
                        b.release();
                    }
                }
                case WRITE -> {
                    ByteBuf b = Unpooled.wrappedBuffer(new byte[(int) r.length()]);
                    try {
                        d.write(r.offset(), b, 0);
                    } finally {
                        b.release();
                    }
                }
                case ZERO -> d.zero(r.offset(), r.length(), 0);
                case TRIM -> d.trim(r.offset(), r.length(), 0);
                case FLUSH -> d.flush(0);
                case CACHE -> d.cache(r.offset(), r.length(), 0);
                case BLOCK_STATUS ->
                        d.extents(r.offset() % (1 << 19), r.length(), (len, type) -> false);
            }
            return null;
        } catch (DeviceException e) {
            return e.errno();
        }
    }

    /**
     * Requests of every command but reads and flushes, which the test disk cannot take at any
     * offset or has no range.
     */
    private static List<Req> requests(int n, long seed) {
        Random rnd = new Random(seed);
        FaultCommand[] cmds = {
            FaultCommand.WRITE, FaultCommand.ZERO, FaultCommand.TRIM, FaultCommand.CACHE
        };
        List<Req> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long off = (rnd.nextLong() & (SIZE - 1)) & -512L;
            out.add(new Req(cmds[i % cmds.length], off, 512L << rnd.nextInt(8)));
        }
        return out;
    }

    private static Set<Req> failing(BlockDevice d, List<Req> reqs, int threads) throws Exception {
        Set<Req> failed = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            int per = (reqs.size() + threads - 1) / threads;
            for (int t = 0; t < threads; t++) {
                List<Req> part =
                        reqs.subList(
                                Math.min(reqs.size(), t * per),
                                Math.min(reqs.size(), (t + 1) * per));
                fs.add(
                        pool.submit(
                                () ->
                                        part.forEach(
                                                r -> {
                                                    if (send(d, r) != null) {
                                                        failed.add(r);
                                                    }
                                                })));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return failed;
    }

    @Test
    void sameSeedFailsTheSameRequestsWhateverTheOrderAndThreads() throws Exception {
        List<Req> reqs = requests(40_000, 1);
        Set<Req> serial = failing(device(99, "all:5%"), reqs, 1);
        List<Req> shuffled = new ArrayList<>(reqs);
        Collections.shuffle(shuffled, new Random(2));
        Set<Req> parallel = failing(device(99, "all:5%"), shuffled, 4);
        assertEquals(serial, parallel);
        assertTrue(serial.size() > 1000, "about 5% of 40000 fail: " + serial.size());
    }

    @Test
    void onceRulesAreDeterministicAcrossThreadsToo() throws Exception {
        List<Req> reqs = requests(20_000, 3);
        Set<Req> serial = failing(device(5, "write,zero:10%:once"), reqs, 1);
        List<Req> shuffled = new ArrayList<>(reqs);
        Collections.shuffle(shuffled, new Random(4));
        assertEquals(serial, failing(device(5, "write,zero:10%:once"), shuffled, 4));
    }

    @Test
    void anotherSeedFailsOtherRequests() throws Exception {
        List<Req> reqs = requests(10_000, 1);
        assertNotEquals(
                failing(device(1, "all:5%"), reqs, 1), failing(device(2, "all:5%"), reqs, 1));
    }

    @Test
    void decisionIsAPureFunction() {
        ErrorInjectingDevice a = device(7, "read:50%");
        ErrorInjectingDevice b = device(7, "read:50%");
        for (long off = 0; off < 1000 * 4096L; off += 4096) {
            assertEquals(
                    a.decide(FaultCommand.READ, off, 4096, 0),
                    b.decide(FaultCommand.READ, off, 4096, 0));
        }
    }

    @Test
    void observedRateIsTheConfiguredRate() {
        for (String rate : new String[] {"1%", "0.1", "50%"}) {
            ErrorInjectingDevice d = device(11, "write:" + rate);
            double want = FaultRate.parse(rate).value();
            int n = 100_000;
            int failed = 0;
            for (Req r : requests(n, 8)) {
                failed += d.decide(FaultCommand.WRITE, r.offset(), r.length(), 0) != null ? 1 : 0;
            }
            // Five standard deviations of a binomial count.
            double tolerance = 5 * Math.sqrt(n * want * (1 - want));
            assertEquals(n * want, failed, tolerance, "rate " + rate);
        }
    }

    @Test
    void sequentialOffsetsHitTheRateToo() {
        ErrorInjectingDevice d = device(0, "read:1%");
        int failed = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            failed += d.decide(FaultCommand.READ, i * 65536L, 65536, 0) != null ? 1 : 0;
        }
        assertEquals(1000, failed, 5 * Math.sqrt(n * 0.01 * 0.99));
    }

    @Test
    void rateOneFailsEverythingAndZeroNothing() {
        List<Req> reqs = requests(1000, 9);
        ErrorInjectingDevice always = device(1, "all:1");
        ErrorInjectingDevice never = device(1, "all:0");
        for (Req r : reqs) {
            assertEquals(Errno.EIO, send(always, r));
            assertNull(send(never, r));
        }
    }

    @Test
    void onlyListedCommandsFail() {
        ErrorInjectingDevice d = device(1, "zero,flush:1:ENOSPC");
        assertEquals(Errno.ENOSPC, send(d, new Req(FaultCommand.ZERO, 0, 4096)));
        assertEquals(Errno.ENOSPC, send(d, new Req(FaultCommand.FLUSH, 0, 0)));
        assertNull(send(d, new Req(FaultCommand.WRITE, 0, 4096)));
        assertNull(send(d, new Req(FaultCommand.TRIM, 0, 4096)));
        assertNull(send(d, new Req(FaultCommand.READ, 0, 4096)));
        assertNull(send(d, new Req(FaultCommand.BLOCK_STATUS, 0, 4096)));
        assertNull(send(d, new Req(FaultCommand.CACHE, 0, 4096)));
    }

    @Test
    void failedRequestsNeverReachTheDevice() {
        ErrorInjectingDevice d = device(1, "all:1");
        for (FaultCommand c : FaultCommand.values()) {
            assertNotNull(send(d, new Req(c, 0, 4096)));
            assertEquals(0, disk.calls(c), c.toString());
        }
    }

    private static void assertNotNull(Errno e) {
        assertTrue(e != null, "the request should have failed");
    }

    @Test
    void readBufferFailsLikeRead() throws Exception {
        ErrorInjectingDevice d = device(1, "read:1:EPERM");
        DeviceException e =
                assertThrows(
                        DeviceException.class,
                        () -> d.readBuffer(4096, 512, ByteBufAllocator.DEFAULT));
        assertEquals(Errno.EPERM, e.errno());
        assertEquals(4096, e.offset());
        assertTrue(e.getMessage().contains("injected EPERM"), e.getMessage());
    }

    @Test
    void everyFlushIsTheSameRequest() {
        int failing = 0;
        for (long seed = 0; seed < 200; seed++) {
            ErrorInjectingDevice d = device(seed, "flush:50%");
            boolean first = send(d, new Req(FaultCommand.FLUSH, 0, 0)) != null;
            for (int i = 0; i < 5; i++) {
                assertEquals(
                        first, send(d, new Req(FaultCommand.FLUSH, 0, 0)) != null, "seed " + seed);
            }
            failing += first ? 1 : 0;
        }
        assertTrue(failing > 50 && failing < 150, "about half the seeds fail flushes: " + failing);
    }

    @Test
    void onceFailsEveryOtherFlush() {
        ErrorInjectingDevice d = device(1, "flush:1:once");
        for (int i = 0; i < 6; i++) {
            assertEquals(
                    i % 2 == 0 ? Errno.EIO : null,
                    send(d, new Req(FaultCommand.FLUSH, 0, 0)),
                    "flush " + i);
        }
    }

    @Test
    void flushErrorHasNoOffset() {
        DeviceException e =
                assertThrows(DeviceException.class, () -> device(1, "flush:1").flush(0));
        assertFalse(e.hasOffset());
    }

    @Test
    void countersCountInjectedErrorsPerCommand() {
        ErrorInjectingDevice d = device(1, "write,trim:1");
        for (int i = 0; i < 3; i++) {
            send(d, new Req(FaultCommand.WRITE, i * 4096L, 4096));
        }
        send(d, new Req(FaultCommand.TRIM, 0, 4096));
        send(d, new Req(FaultCommand.ZERO, 0, 4096));
        assertEquals(
                Map.of(FaultCommand.WRITE, 3L, FaultCommand.TRIM, 1L),
                counters.injectedByCommand());
        assertEquals(3, counters.injected(FaultCommand.WRITE));
        assertEquals(4, counters.injectedTotal());
    }

    @Test
    void withoutOnceARetryFailsAgain() {
        ErrorInjectingDevice d = device(1, "write:1");
        Req r = new Req(FaultCommand.WRITE, 8192, 4096);
        for (int i = 0; i < 3; i++) {
            assertEquals(Errno.EIO, send(d, r));
        }
    }

    @Test
    void onceRetrySucceeds() {
        ErrorInjectingDevice d = device(1, "write:1:once");
        Req r = new Req(FaultCommand.WRITE, 8192, 4096);
        assertEquals(Errno.EIO, send(d, r));
        assertNull(send(d, r), "the retry succeeds");
        assertEquals(1, disk.calls(FaultCommand.WRITE));
        assertEquals(1, counters.injected(FaultCommand.WRITE));
    }

    @Test
    void onceRetryMustBeTheSameRequest() {
        ErrorInjectingDevice d = device(1, "write,zero:1:once");
        assertEquals(Errno.EIO, send(d, new Req(FaultCommand.WRITE, 0, 4096)));
        assertEquals(Errno.EIO, send(d, new Req(FaultCommand.WRITE, 0, 2048)), "other length");
        assertEquals(Errno.EIO, send(d, new Req(FaultCommand.WRITE, 512, 4096)), "other offset");
        assertEquals(Errno.EIO, send(d, new Req(FaultCommand.ZERO, 0, 4096)), "other command");
        assertNull(send(d, new Req(FaultCommand.ZERO, 0, 4096)));
        assertNull(send(d, new Req(FaultCommand.WRITE, 0, 4096)));
        assertNull(send(d, new Req(FaultCommand.WRITE, 0, 2048)));
        assertNull(send(d, new Req(FaultCommand.WRITE, 512, 4096)));
    }

    @Test
    void onceForgetsAfterTheRetrySoALaterPassFailsAgain() {
        ErrorInjectingDevice d = device(1, "read:1:once");
        Req r = new Req(FaultCommand.READ, 0, 4096);
        assertEquals(Errno.EIO, send(d, r));
        assertNull(send(d, r));
        assertEquals(Errno.EIO, send(d, r), "a new first attempt");
    }

    @Test
    void onceDecisionDependsOnTheAttempt() {
        ErrorInjectingDevice d = device(3, "read:1:once");
        assertNotEquals(null, d.decide(FaultCommand.READ, 0, 4096, 0));
        assertNull(d.decide(FaultCommand.READ, 0, 4096, 1));
    }

    @Test
    void onceFailsTheRateOfFirstAttemptsAndNoRetry() {
        ErrorInjectingDevice d = device(21, "write:10%:once");
        List<Req> reqs =
                requests(20_000, 5).stream()
                        .filter(r -> r.command() == FaultCommand.WRITE)
                        .distinct()
                        .toList();
        int failed = 0;
        for (Req r : reqs) {
            if (send(d, r) != null) {
                failed++;
                assertNull(send(d, r), "retry of " + r);
            }
        }
        double n = reqs.size();
        assertEquals(n * 0.1, failed, 5 * Math.sqrt(n * 0.1 * 0.9));
    }

    @Test
    void aFullRetryMemoryInjectsNothingRatherThanFailingARetry() {
        ErrorInjectingDevice d =
                ErrorInjectingDevice.wrap(
                        disk,
                        List.of(ErrorRule.parse("write:1:once")),
                        1,
                        counters,
                        RetryMemory.WINDOW);
        List<Req> failed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Req r = new Req(FaultCommand.WRITE, i * 4096L, 4096);
            if (send(d, r) != null) {
                failed.add(r);
            }
        }
        assertEquals(RetryMemory.WINDOW, failed.size(), "at most the table's slots fail");
        assertEquals(100 - RetryMemory.WINDOW, counters.onceNotRemembered());
        for (Req r : failed) {
            assertNull(send(d, r), "no request fails twice");
        }
    }

    @Test
    void firstFailingRuleChoosesTheErrno() {
        ErrorInjectingDevice d = device(1, "write:1:ENOSPC", "all:1:EPERM");
        assertEquals(Errno.ENOSPC, send(d, new Req(FaultCommand.WRITE, 0, 4096)));
        assertEquals(Errno.EPERM, send(d, new Req(FaultCommand.ZERO, 0, 4096)));
    }

    @Test
    void rulesOnOneCommandFailIndependentSets() {
        ErrorInjectingDevice a = device(1, "write:50%");
        ErrorInjectingDevice ab = device(1, "write:50%", "write:50%");
        int onlyA = 0;
        int eitherAB = 0;
        for (Req r : requests(10_000, 6)) {
            onlyA += a.decide(FaultCommand.WRITE, r.offset(), r.length(), 0) != null ? 1 : 0;
            eitherAB += ab.decide(FaultCommand.WRITE, r.offset(), r.length(), 0) != null ? 1 : 0;
        }
        // Two independent 50% rules fail 75% of requests; the same set twice would fail 50%.
        assertEquals(7500, eitherAB, 300);
        assertEquals(5000, onlyA, 300);
    }

    @Test
    void expectedContentPassesThroughWhenTheDeviceHasIt() {
        BlockDevice plain =
                ErrorInjectingDevice.wrap(disk, List.of(ErrorRule.parse("all:1")), 1, counters);
        assertFalse(plain instanceof ExpectedContent);
        BlockDevice fast =
                ErrorInjectingDevice.wrap(
                        TestDisk.withExpected(disk),
                        List.of(ErrorRule.parse("all:1")),
                        1,
                        counters);
        ExpectedContent e = assertInstanceOf(ExpectedContent.class, fast);
        ByteBuf good =
                Unpooled.buffer(4)
                        .writeBytes(
                                new byte[] {
                                    TestDisk.DATA, TestDisk.DATA, TestDisk.DATA, TestDisk.DATA
                                });
        ByteBuf bad =
                Unpooled.buffer(4)
                        .writeBytes(new byte[] {TestDisk.DATA, 0, TestDisk.DATA, TestDisk.DATA});
        try {
            assertEquals(
                    ExpectedContent.MATCH, e.mismatch(100, good), "comparisons are never failed");
            assertEquals(101, e.mismatch(100, bad));
            assertEquals("0x5a", e.describeExpected(0, 1));
        } finally {
            good.release();
            bad.release();
        }
        assertEquals(0, counters.injectedTotal());
    }

    @Test
    void theReadMapIsNotABlockStatusRequest() throws Exception {
        BlockDevice d = device(1, "block-status:1");
        assertThrows(DeviceException.class, () -> d.extents(0, 4096, (len, t) -> false));
        long[] seen = {0};
        d.readMap(
                0,
                4096,
                (len, t) -> {
                    seen[0] += len;
                    return false;
                });
        assertTrue(seen[0] > 0, "a read's map of holes passes the block-status rule");
        assertEquals(1, counters.injected(FaultCommand.BLOCK_STATUS));
    }
}
