package io.sparserandom.runner;

import io.sparserandom.faults.FaultInjection;
import io.sparserandom.faults.FaultPlan;
import io.sparserandom.generator.DiskParams;
import io.sparserandom.generator.SparseRandomDisk;
import io.sparserandom.server.NbdServer;
import io.sparserandom.server.ServerListener;
import io.sparserandom.server.TlsConfig;
import io.sparserandom.verifier.CoverageLedger;
import io.sparserandom.verifier.Verifier;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sparse-random disk served through the verifier on one endpoint: what `--run`, serve mode and
 * every benchmark run start. The verifier's ledger is fresh for each server.
 */
public final class CaptiveServer implements AutoCloseable {
    private final Endpoint endpoint;
    private final Verifier verifier;
    private final NbdServer server;
    private final FaultInjection faults;

    private CaptiveServer(
            Endpoint endpoint, Verifier verifier, NbdServer server, FaultInjection faults) {
        this.endpoint = endpoint;
        this.verifier = verifier;
        this.server = server;
        this.faults = faults;
    }

    static CaptiveServer start(
            SparseRandomDisk disk, Endpoint endpoint, boolean readOnly, ServerListener listener)
            throws IOException {
        return start(disk, endpoint, readOnly, listener, new CoverageLedger());
    }

    static CaptiveServer start(
            SparseRandomDisk disk,
            Endpoint endpoint,
            boolean readOnly,
            ServerListener listener,
            CoverageLedger ledger)
            throws IOException {
        return start(disk, endpoint, readOnly, listener, ledger, TlsConfig.OFF);
    }

    public static CaptiveServer start(
            SparseRandomDisk disk,
            Endpoint endpoint,
            boolean readOnly,
            ServerListener listener,
            CoverageLedger ledger,
            TlsConfig tls)
            throws IOException {
        return start(disk, endpoint, readOnly, listener, ledger, tls, FaultPlan.none());
    }

    /**
     * With fault injection: the plan's device faults wrap each connection's verifying device (so
     * the verifier sees only what reached the disk), and its server faults go to the server.
     */
    public static CaptiveServer start(
            SparseRandomDisk disk,
            Endpoint endpoint,
            boolean readOnly,
            ServerListener listener,
            CoverageLedger ledger,
            TlsConfig tls,
            FaultPlan plan)
            throws IOException {
        return start(
                disk,
                endpoint,
                readOnly,
                listener,
                ledger,
                tls,
                plan,
                NbdServer.DEFAULT_MAX_CONNECTIONS);
    }

    /** With a limit on open connections, too. */
    public static CaptiveServer start(
            SparseRandomDisk disk,
            Endpoint endpoint,
            boolean readOnly,
            ServerListener listener,
            CoverageLedger ledger,
            TlsConfig tls,
            FaultPlan plan,
            int maxConnections)
            throws IOException {
        Verifier verifier = new Verifier(disk, ledger);
        FaultInjection faults = new FaultInjection(plan, disk.params().seed());
        NbdServer.Builder builder =
                NbdServer.builder()
                        .device(
                                endpoint.exportName(),
                                "sparse-random " + describe(disk.params()),
                                c -> faults.decorate(verifier.forConnection(c.id())))
                        .readOnly(readOnly)
                        .tls(tls)
                        .faults(FaultWiring.serverFaults(plan))
                        .transmissionObserver(new DurabilityObserver(ledger.durability()))
                        .maxConnections(maxConnections);
        if (listener != null) {
            builder.listener(listener);
        }
        if (endpoint.listening() != null) {
            builder.listening(endpoint.listening());
        } else if (endpoint.isUnix()) {
            builder.unixSocket(endpoint.socket());
        } else {
            builder.tcp(endpoint.host(), endpoint.port());
        }
        NbdServer server = builder.build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            server.close();
            endpoint.cleanUp();
            throw new IOException(
                    "cannot listen on "
                            + (endpoint.isUnix()
                                    ? endpoint.socket()
                                    : endpoint.host() + ":" + endpoint.port())
                            + ": "
                            + e.getMessage(),
                    e);
        }
        if (!endpoint.isUnix()) {
            endpoint.boundPort(server.port());
        }
        return new CaptiveServer(endpoint, verifier, server, faults);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public Verifier verifier() {
        return verifier;
    }

    /** Errors injected so far by --error, per command name ({@code read}, ...), for the verdict. */
    public Map<String, Long> injectedErrors() {
        Map<String, Long> out = new LinkedHashMap<>();
        faults.counters().injectedByCommand().forEach((c, n) -> out.put(c.optionName(), n));
        return out;
    }

    @Override
    public void close() {
        server.close();
        endpoint.cleanUp();
    }

    public static String describe(DiskParams p) {
        if (p.shape() != null) {
            return "size="
                    + p.size()
                    + " seed="
                    + p.seed()
                    + " shape="
                    + p.shape().source()
                    + (p.randomContent() ? " random-content=true" : "");
        }
        return "size="
                + p.size()
                + " seed="
                + p.seed()
                + " percent="
                + trimDouble(p.percent())
                + " runlength="
                + p.runlength()
                + (p.randomContent() ? " random-content=true" : "")
                + (p.model() == DiskParams.Model.NBDKIT ? " compat=nbdkit" : "");
    }

    public static String trimDouble(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
