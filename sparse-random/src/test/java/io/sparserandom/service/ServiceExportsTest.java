package io.sparserandom.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.sparserandom.cli.DiskArguments;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.faults.FaultPlan;
import io.sparserandom.server.ConnectionInfo;
import io.sparserandom.server.DeviceFactory;
import io.sparserandom.server.Export;
import io.sparserandom.server.ExportResolver.UnknownExportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exports made from names: parsing, sharing, limits, idle expiry and DELETE, on a fake clock. */
class ServiceExportsTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(1000 * SECOND);
    private final List<String> events = new ArrayList<>();
    private ServiceExports exports;

    private ServiceExports exports(int max, Duration expiry) {
        exports =
                new ServiceExports(
                        new ServiceExports.Limits(max, expiry),
                        now::get,
                        FaultPlan.none(),
                        new ServiceExports.Listener() {
                            @Override
                            public void made(ServiceExport e) {
                                events.add("made " + e.name().name());
                            }

                            @Override
                            public void forgotten(ServiceExport e) {
                                events.add("forgotten " + e.name().name());
                            }
                        });
        return exports;
    }

    @AfterEach
    void close() {
        if (exports != null) {
            exports.close();
        }
    }

    private static ConnectionInfo conn(long id, String name) {
        return new ConnectionInfo(id, "test", name, false);
    }

    @Test
    void theNameIsTheDiskWithAnOptionalJob() {
        ExportName n = ExportName.parse("ci-4711/64G,seed=1,percent=20");
        assertEquals("ci-4711", n.job());
        assertEquals(List.of("64G", "seed=1", "percent=20"), n.params());
        assertEquals(64L << 30, n.disk().size());
        assertEquals(1, n.disk().seed());
        assertEquals(20.0, n.disk().percent());
        assertEquals("", ExportName.parse("1T,seed=7").job());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1T,sed=1", "1T,seed=x", "0", "seed=1", "1T,percent=101", "9E"})
    void aBadNameGetsTheCommandLinesMessage(String name) {
        String cli =
                assertThrows(
                                IllegalArgumentException.class,
                                () -> DiskArguments.parse(List.of(name.split(","))))
                        .getMessage();
        exports(10, Duration.ofHours(1));
        UnknownExportException e =
                assertThrows(UnknownExportException.class, () -> exports.resolve(name));
        assertEquals(cli, e.getMessage());
        assertEquals(0, exports.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/1T", "a/b/1T", "1T,,seed=1", "1T,", "1G,compat=nbdkit"})
    void malformedNamesAreRefusedWithAReason(String name) {
        exports(10, Duration.ofHours(1));
        UnknownExportException e =
                assertThrows(UnknownExportException.class, () -> exports.resolve(name));
        assertTrue(e.getMessage().length() > 10, e.getMessage());
        assertEquals(0, exports.size());
    }

    @Test
    void oneNameIsOneDiskAndLedgerSharedByItsConnections() throws Exception {
        exports(10, Duration.ofHours(1));
        Export a1 = exports.resolve("job/8M,seed=3,percent=100");
        Export a2 = exports.resolve("job/8M,seed=3,percent=100");
        Export b = exports.resolve("other/8M,seed=3,percent=100");
        BlockDevice d1 = a1.factory().open(conn(1, a1.name()));
        BlockDevice d2 = a2.factory().open(conn(2, a2.name()));
        var data = Unpooled.buffer(4096);
        d1.read(0, 4096, data);
        d2.write(0, data, 0);
        ServiceExport ea = exports.get("job/8M,seed=3,percent=100");
        ServiceExport eb = exports.get("other/8M,seed=3,percent=100");
        assertEquals(1, ea.ledger().writeRequests());
        assertEquals(0, eb.ledger().writeRequests(), "another job's ledger is its own");
        assertEquals(2, ea.connections());
        assertEquals(ServiceExport.State.OPEN, ea.state());
        assertEquals(ServiceExport.State.NEW, eb.state());
        data.release();
    }

    @Test
    void pastMaxExportsANewNameIsRefusedClearly() throws Exception {
        exports(2, Duration.ofHours(1));
        exports.resolve("1M,seed=1");
        exports.resolve("1M,seed=2");
        exports.resolve("1M,seed=1"); // a known name still works
        UnknownExportException e =
                assertThrows(UnknownExportException.class, () -> exports.resolve("1M,seed=3"));
        assertTrue(e.getMessage().contains("--max-exports 2"), e.getMessage());
        assertEquals(2, exports.size());
    }

    @Test
    void anIdleExportIsForgottenAndTheNameStartsAFreshLedger() throws Exception {
        exports(10, Duration.ofSeconds(60));
        Export x = exports.resolve("1M,seed=1,percent=100");
        DeviceFactory f = x.factory();
        BlockDevice d = f.open(conn(1, x.name()));
        var data = Unpooled.buffer(4096);
        d.read(0, 4096, data);
        d.write(0, data, 0);
        data.release();
        ServiceExport first = exports.get(x.name());
        now.addAndGet(3600 * SECOND);
        exports.expireIdle();
        assertSame(first, exports.get(x.name()), "an export with a connection stays");
        f.close(conn(1, x.name()));
        now.addAndGet(59 * SECOND);
        exports.expireIdle();
        assertSame(first, exports.get(x.name()), "idle for less than the expiry");
        now.addAndGet(1 * SECOND);
        exports.expireIdle();
        assertNull(exports.get(x.name()));
        assertThrows(Exception.class, () -> f.open(conn(2, x.name())), "forgotten: no new opens");
        exports.resolve(x.name());
        ServiceExport again = exports.get(x.name());
        assertNotSame(first, again);
        assertEquals(0, again.ledger().writeRequests());
        assertEquals(
                List.of(
                        "made 1M,seed=1,percent=100",
                        "forgotten 1M,seed=1,percent=100",
                        "made 1M,seed=1,percent=100"),
                events);
    }

    @Test
    void aFullServiceMakesRoomByExpiringIdleExports() throws Exception {
        exports(1, Duration.ofSeconds(10));
        exports.resolve("1M,seed=1");
        now.addAndGet(11 * SECOND);
        exports.resolve("1M,seed=2");
        assertNull(exports.get("1M,seed=1"));
    }

    @Test
    void declaredExportsAreListedAndNeverExpire() throws Exception {
        exports(10, Duration.ofSeconds(1));
        exports.declare("ci/1G,seed=5");
        now.addAndGet(3600 * SECOND);
        exports.expireIdle();
        assertEquals(1, exports.list().size());
        assertTrue(
                exports.list().iterator().next().description().contains("size=1073741824 seed=5"));
        assertThrows(IllegalArgumentException.class, () -> exports.declare("1G,bad=1"));
    }

    @Test
    void deleteForgetsAnIdleExportAndRefusesAnOpenOne() throws Exception {
        exports(10, Duration.ofHours(1));
        Export x = exports.resolve("1M,seed=1");
        x.factory().open(conn(1, x.name()));
        assertEquals(ServiceExports.Forget.BUSY, exports.forget(x.name()));
        x.factory().close(conn(1, x.name()));
        assertEquals(ServiceExports.Forget.FORGOTTEN, exports.forget(x.name()));
        assertEquals(ServiceExports.Forget.NOT_FOUND, exports.forget(x.name()));
        exports.declare("1M,seed=9");
        ServiceExport pinned = exports.get("1M,seed=9");
        assertEquals(ServiceExports.Forget.FORGOTTEN, exports.forget("1M,seed=9"));
        assertNotSame(pinned, exports.get("1M,seed=9"), "a declared export comes back fresh");
    }

    @Test
    void theLedgersShareOneBudget() {
        assertEquals(
                Math.max(ServiceExports.MIN_LEDGER_RANGES, ServiceExports.RANGE_BUDGET / 1000),
                new ServiceExports.Limits(1000, Duration.ofHours(1)).ledgerMaxRanges());
        assertEquals(
                Math.min(2_000_000, ServiceExports.RANGE_BUDGET),
                new ServiceExports.Limits(1, Duration.ofHours(1)).ledgerMaxRanges());
        assertEquals(
                ServiceExports.MIN_LEDGER_RANGES,
                new ServiceExports.Limits(1_000_000, Duration.ofHours(1)).ledgerMaxRanges());
    }
}
