package io.sparserandom.runner;

import io.sparserandom.generator.DiskParams;
import io.sparserandom.generator.SparseRandomDisk;
import io.sparserandom.server.NbdServer;
import io.sparserandom.server.ServerListener;
import io.sparserandom.server.TlsConfig;
import io.sparserandom.verifier.CoverageLedger;
import io.sparserandom.verifier.Verifier;
import java.io.IOException;

/**
 * A sparse-random disk served through the verifier on one endpoint: what `--run`, serve mode and
 * every benchmark run start. The verifier's ledger is fresh for each server.
 */
public final class CaptiveServer implements AutoCloseable {
    private final Endpoint endpoint;
    private final Verifier verifier;
    private final NbdServer server;

    private CaptiveServer(Endpoint endpoint, Verifier verifier, NbdServer server) {
        this.endpoint = endpoint;
        this.verifier = verifier;
        this.server = server;
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
        return start(
                disk, endpoint, readOnly, listener, ledger, tls, NbdServer.DEFAULT_MAX_CONNECTIONS);
    }

    public static CaptiveServer start(
            SparseRandomDisk disk,
            Endpoint endpoint,
            boolean readOnly,
            ServerListener listener,
            CoverageLedger ledger,
            TlsConfig tls,
            int maxConnections)
            throws IOException {
        Verifier verifier = new Verifier(disk, ledger);
        NbdServer.Builder builder =
                NbdServer.builder()
                        .device(
                                endpoint.exportName(),
                                "sparse-random " + describe(disk.params()),
                                c -> verifier.forConnection(c.id()))
                        .readOnly(readOnly)
                        .tls(tls)
                        .maxConnections(maxConnections);
        if (listener != null) {
            builder.listener(listener);
        }
        if (endpoint.isUnix()) {
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
        return new CaptiveServer(endpoint, verifier, server);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public Verifier verifier() {
        return verifier;
    }

    @Override
    public void close() {
        server.close();
        endpoint.cleanUp();
    }

    public static String describe(DiskParams p) {
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
