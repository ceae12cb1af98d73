package io.sparserandom.service;

import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.Errno;
import io.sparserandom.faults.FaultInjection;
import io.sparserandom.faults.FaultPlan;
import io.sparserandom.generator.SparseRandomDisk;
import io.sparserandom.runner.DurabilityObserver;
import io.sparserandom.server.ConnectionInfo;
import io.sparserandom.server.DeviceFactory;
import io.sparserandom.server.TransmissionObserver;
import io.sparserandom.verifier.CoverageLedger;
import io.sparserandom.verifier.Verdict;
import io.sparserandom.verifier.Verifier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One export of the service: its disk and its ledger, shared by every connection to its name, and
 * how many connections it has. Forgotten (by DELETE or idle expiry) it refuses new connections; the
 * next client to give the name gets a fresh export.
 */
public final class ServiceExport {
    /** What the export is doing now. */
    public enum State {
        /** no client has opened it yet */
        NEW,
        /** some connection has it open */
        OPEN,
        /** opened before, no connection now */
        IDLE
    }

    private final ExportName name;
    private final SparseRandomDisk disk;
    private final Verifier verifier;
    private final boolean pinned;
    private final LongSupplier clock;
    private final FaultInjection faults;
    private final DurabilityObserver durability;
    private int connections;
    private long firstOpen = -1;
    private long lastClose = -1;
    private long lastUsed;
    private boolean forgotten;
    private CachedVerdict cached;

    /** A verdict and the request count it was computed at. */
    private record CachedVerdict(long version, Verdict verdict) {}

    ServiceExport(
            ExportName name,
            int ledgerMaxRanges,
            boolean pinned,
            LongSupplier clock,
            FaultPlan faults) {
        this.name = name;
        this.disk = SparseRandomDisk.create(name.disk());
        this.verifier = new Verifier(disk, new CoverageLedger(ledgerMaxRanges));
        this.pinned = pinned;
        this.clock = clock;
        // Fault decisions follow the export's own disk seed unless --fault-seed is given, as in
        // the main command, so a job's faults do not depend on which other jobs are running.
        this.faults = new FaultInjection(faults, disk.params().seed());
        this.durability = new DurabilityObserver(verifier.ledger().durability());
        this.lastUsed = clock.getAsLong();
    }

    public ExportName name() {
        return name;
    }

    public SparseRandomDisk disk() {
        return disk;
    }

    public CoverageLedger ledger() {
        return verifier.ledger();
    }

    /** Declared with --export: idle expiry leaves it alone. */
    public boolean pinned() {
        return pinned;
    }

    public synchronized int connections() {
        return connections;
    }

    public synchronized State state() {
        return connections > 0 ? State.OPEN : firstOpen < 0 ? State.NEW : State.IDLE;
    }

    synchronized void touch() {
        lastUsed = clock.getAsLong();
    }

    /** Nanoseconds since a client last named, opened or closed it (0 while open). */
    synchronized long idleNanos() {
        return connections > 0 ? 0 : clock.getAsLong() - lastUsed;
    }

    /** Marks it forgotten unless a connection has it open; returns whether it did. */
    synchronized boolean forgetIfIdle() {
        if (connections > 0) {
            return false;
        }
        forgotten = true;
        return true;
    }

    /**
     * Wall time the export was in use: from its first connection to its last disconnection (to now
     * while connections are open). Frozen while idle, so repeated verdicts agree.
     */
    public synchronized Duration elapsed() {
        if (firstOpen < 0) {
            return Duration.ZERO;
        }
        long end = connections > 0 ? clock.getAsLong() : lastClose;
        return Duration.ofNanos(end - firstOpen);
    }

    /** The verdict now, as the main command computes it at the end of a run. */
    public Verdict verdict(boolean checkComplete) throws DeviceException {
        return verdict(checkComplete, false);
    }

    /** The verdict now, with the durability check too when asked. */
    public Verdict verdict(boolean checkComplete, boolean checkDurable) throws DeviceException {
        Map<String, Long> injected = new LinkedHashMap<>();
        faults.counters().injectedByCommand().forEach((c, n) -> injected.put(c.optionName(), n));
        return Verdict.compute(disk, ledger(), null, checkComplete, checkDurable, elapsed())
                .withInjectedErrors(injected);
    }

    /**
     * Tells this export's durability ledger what its connections' clients were promised and did.
     */
    TransmissionObserver observe(ConnectionInfo c, int transmissionFlags) {
        return durability.open(c, transmissionFlags);
    }

    /**
     * The verdict without the completeness check, recomputed only when a request was recorded since
     * the last time: GET /exports and NBD_OPT_LIST ask for every export.
     */
    public Verdict summary() throws DeviceException {
        long version = version();
        CachedVerdict c;
        synchronized (this) {
            c = cached;
        }
        if (c != null && c.version() == version) {
            return c.verdict();
        }
        Verdict v = verdict(false);
        synchronized (this) {
            cached = new CachedVerdict(version, v);
        }
        return v;
    }

    /** The cached summary if nothing happened since, else null (never computes). */
    Verdict freshSummary() {
        CachedVerdict c;
        synchronized (this) {
            c = cached;
        }
        return c != null && c.version() == version() ? c.verdict() : null;
    }

    private long version() {
        CoverageLedger l = ledger();
        long flushes = l.durability() == null ? 0 : l.durability().flushesReplied();
        return l.writeRequests()
                + l.zeroRequests()
                + l.trimRequests()
                + l.rejectedCount()
                + flushes;
    }

    /** Opens the shared disk for each connection, counting them. */
    DeviceFactory factory() {
        return new DeviceFactory() {
            @Override
            public BlockDevice open(ConnectionInfo c) throws DeviceException {
                synchronized (ServiceExport.this) {
                    if (forgotten) {
                        throw new DeviceException(
                                Errno.EIO,
                                "export '" + name.name() + "' was just forgotten; connect again");
                    }
                    if (firstOpen < 0) {
                        firstOpen = clock.getAsLong();
                    }
                    connections++;
                    lastUsed = clock.getAsLong();
                }
                return faults.decorate(verifier.forConnection(c.id()));
            }

            @Override
            public void close(ConnectionInfo c) {
                synchronized (ServiceExport.this) {
                    connections--;
                    lastClose = lastUsed = clock.getAsLong();
                }
            }
        };
    }
}
