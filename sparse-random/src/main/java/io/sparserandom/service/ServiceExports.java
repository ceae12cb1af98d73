package io.sparserandom.service;

import io.sparserandom.faults.FaultPlan;
import io.sparserandom.runner.CaptiveServer;
import io.sparserandom.server.Export;
import io.sparserandom.server.ExportResolver;
import io.sparserandom.server.TransmissionObserver;
import io.sparserandom.verifier.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's exports, made from their names as clients give them (see {@link ExportName}), at
 * most {@link Limits#maxExports()} at once. An export with no connection for {@link
 * Limits#idleExpiry()} is forgotten, unless it was declared up front.
 *
 * <p>Memory: an export costs a few KiB until written (measured in the README), and its ledger grows
 * with the separate pieces a client leaves unwritten. The ledgers share {@link #RANGE_BUDGET}
 * ranges split evenly between the {@code maxExports} slots, so the total stays bounded whatever
 * clients ask for; an export whose client scatters more pieces than its share gets "completeness
 * cannot be proven", never a false verdict.
 */
public final class ServiceExports implements ExportResolver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceExports.class);

    /**
     * Separate ranges all ledgers together may hold, per range set: half the heap the launcher
     * caps, at about 160 bytes per range over a ledger's coverage and durability sets (the coverage
     * sets' worst case measured 25 bytes per range per set), and never more than 10 million. With
     * the launcher's 160 MiB heap that is about 520,000.
     */
    public static final long RANGE_BUDGET =
            Math.min(10_000_000L, Runtime.getRuntime().maxMemory() / 2 / 160);

    /** A ledger never gets less than this, whatever --max-exports says. */
    static final int MIN_LEDGER_RANGES = 1_000;

    /**
     * @param maxExports how many exports may be known at once
     * @param idleExpiry how long an export with no connection is kept
     */
    public record Limits(int maxExports, Duration idleExpiry) {
        public Limits {
            if (maxExports < 1) {
                throw new IllegalArgumentException("--max-exports must be at least 1");
            }
            if (idleExpiry.isNegative() || idleExpiry.isZero()) {
                throw new IllegalArgumentException("--idle-expiry must be positive");
            }
        }

        /** Each ledger's cap on separate ranges (per set), its share of {@link #RANGE_BUDGET}. */
        public int ledgerMaxRanges() {
            return (int)
                    Math.max(MIN_LEDGER_RANGES, Math.min(2_000_000L, RANGE_BUDGET / maxExports));
        }
    }

    /** Told when an export is made or forgotten (metrics); called under no lock of ours. */
    public interface Listener {
        default void made(ServiceExport e) {}

        default void forgotten(ServiceExport e) {}
    }

    /** What DELETE did. */
    public enum Forget {
        FORGOTTEN,
        NOT_FOUND,
        BUSY
    }

    private final Limits limits;
    private final LongSupplier clock;
    private final FaultPlan faults;
    private final Listener listener;
    private final Map<String, ServiceExport> exports = new LinkedHashMap<>();
    private final ScheduledExecutorService expiry;

    /**
     * @param faults the fault options, applied to every export with its own fault state
     */
    public ServiceExports(
            Limits limits, LongSupplier nanoClock, FaultPlan faults, Listener listener) {
        this.limits = limits;
        this.clock = nanoClock;
        this.faults = faults;
        this.listener = listener;
        this.expiry =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "sparse-random-expiry");
                            t.setDaemon(true);
                            return t;
                        });
        // A tenth of the expiry, between 10 ms and a minute: an export outlives its expiry by at
        // most that much.
        long period = Math.max(10, Math.min(60_000, limits.idleExpiry().toMillis() / 10));
        expiry.scheduleWithFixedDelay(this::expireIdle, period, period, TimeUnit.MILLISECONDS);
    }

    public Limits limits() {
        return limits;
    }

    /** Declares an export up front (--export): made now and never expired. */
    public ServiceExport declare(String name) {
        ExportName parsed = ExportName.parse(name);
        ServiceExport e;
        synchronized (this) {
            e = exports.get(name);
            if (e != null && e.pinned()) {
                return e;
            }
            if (e == null && exports.size() >= limits.maxExports()) {
                throw new IllegalArgumentException(
                        "more --export names than --max-exports " + limits.maxExports());
            }
            e = new ServiceExport(parsed, limits.ledgerMaxRanges(), true, clock, faults);
            exports.put(name, e);
        }
        listener.made(e);
        return e;
    }

    @Override
    public Export resolve(String name) throws UnknownExportException {
        ServiceExport e;
        List<ServiceExport> expired = new ArrayList<>();
        synchronized (this) {
            e = exports.get(name);
            if (e != null) {
                e.touch();
                return export(e);
            }
        }
        ExportName parsed;
        try {
            parsed = ExportName.parse(name);
        } catch (IllegalArgumentException ex) {
            throw new UnknownExportException(ex.getMessage());
        }
        synchronized (this) {
            e = exports.get(name); // another connection may have made it meanwhile
            if (e == null) {
                if (exports.size() >= limits.maxExports()) {
                    expired = expireIdleLocked(limits.idleExpiry().toNanos());
                }
                if (exports.size() >= limits.maxExports()) {
                    throw new UnknownExportException(
                            "the service already holds "
                                    + exports.size()
                                    + " exports, its limit (--max-exports "
                                    + limits.maxExports()
                                    + "): delete one (DELETE /exports/NAME) or wait for idle ones"
                                    + " to expire");
                }
                e = new ServiceExport(parsed, limits.ledgerMaxRanges(), false, clock, faults);
                exports.put(name, e);
                LOG.info("export '{}' made", name);
            } else {
                e.touch();
            }
        }
        expired.forEach(listener::forgotten);
        listener.made(e);
        return export(e);
    }

    private Export export(ServiceExport e) {
        return new Export(e.name().name(), describe(e), e.factory());
    }

    /** What NBD_OPT_LIST says: the disk, then where its verdict stands. */
    static String describe(ServiceExport e) {
        StringBuilder sb =
                new StringBuilder("sparse-random ")
                        .append(CaptiveServer.describe(e.disk().params()))
                        .append(": ");
        int conns = e.connections();
        sb.append(
                switch (e.state()) {
                    case NEW -> "new";
                    case OPEN -> "open, " + conns + (conns == 1 ? " connection" : " connections");
                    case IDLE -> "idle";
                });
        Verdict v = e.freshSummary();
        if (v != null && v.dataBytes() > 0) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "; %.2f%% of data verified",
                            100.0 * v.dataVerified() / v.dataBytes()));
        } else {
            sb.append("; ").append(e.ledger().writeBytes()).append(" bytes written");
        }
        long rejected = e.ledger().rejectedCount();
        sb.append("; ")
                .append(rejected)
                .append(rejected == 1 ? " rejected request" : " rejected requests");
        return sb.toString();
    }

    @Override
    public synchronized Collection<Export> list() {
        List<Export> list = new ArrayList<>(exports.size());
        for (ServiceExport e : exports.values()) {
            list.add(export(e));
        }
        return list;
    }

    /**
     * Routes each connection's requests and replies to its own export's durability ledger: a FLUSH
     * covers only writes to the same disk, and multi-conn is per export.
     */
    public TransmissionObserver.Factory observers() {
        return (c, flags) -> {
            ServiceExport e = get(c.exportName());
            return e == null ? TransmissionObserver.NONE : e.observe(c, flags);
        };
    }

    /** The export known now under that name, or null. */
    public synchronized ServiceExport get(String name) {
        return exports.get(name);
    }

    /** Every export known now, in the order they were made. */
    public synchronized List<ServiceExport> all() {
        return List.copyOf(exports.values());
    }

    public synchronized int size() {
        return exports.size();
    }

    /**
     * DELETE: forgets the export's ledger. Refused while a connection has it open (its verdict
     * would be cut in two). A declared export is made again, fresh.
     */
    public Forget forget(String name) {
        ServiceExport e;
        ServiceExport again = null;
        synchronized (this) {
            e = exports.get(name);
            if (e == null) {
                return Forget.NOT_FOUND;
            }
            if (!e.forgetIfIdle()) {
                return Forget.BUSY;
            }
            exports.remove(name);
            if (e.pinned()) {
                again = new ServiceExport(e.name(), limits.ledgerMaxRanges(), true, clock, faults);
                exports.put(name, again);
            }
        }
        LOG.info("export '{}' forgotten (DELETE)", name);
        listener.forgotten(e);
        if (again != null) {
            listener.made(again);
        }
        return Forget.FORGOTTEN;
    }

    /** Forgets every export idle for longer than the expiry. */
    void expireIdle() {
        List<ServiceExport> gone;
        synchronized (this) {
            gone = expireIdleLocked(limits.idleExpiry().toNanos());
        }
        gone.forEach(listener::forgotten);
    }

    private List<ServiceExport> expireIdleLocked(long idleNanos) {
        List<ServiceExport> gone = new ArrayList<>();
        var it = exports.values().iterator();
        while (it.hasNext()) {
            ServiceExport e = it.next();
            if (!e.pinned() && e.idleNanos() >= idleNanos && e.forgetIfIdle()) {
                it.remove();
                gone.add(e);
                LOG.info("export '{}' forgotten (idle)", e.name().name());
            }
        }
        return gone;
    }

    @Override
    public void close() {
        expiry.shutdownNow();
    }
}
