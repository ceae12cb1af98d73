package io.sparserandom.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sparserandom.faults.FaultPlan;
import io.sparserandom.metrics.ExportMeters;
import io.sparserandom.metrics.PrometheusEndpoint;
import io.sparserandom.metrics.ServerMetrics;
import io.sparserandom.runner.Endpoint;
import io.sparserandom.runner.FaultWiring;
import io.sparserandom.runner.Relaunch;
import io.sparserandom.server.NbdServer;
import io.sparserandom.server.TlsConfig;
import io.sparserandom.service.ExportName;
import io.sparserandom.service.ServiceExports;
import io.sparserandom.service.ServiceHttp;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sparse-random serve}: one long-running server for many disks and jobs. The export name is
 * the disk ({@code [JOB/]PARAMS}); each name has its own disk and ledger; verdicts over HTTP.
 */
@Command(
        name = "serve",
        addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Serve many verifying disks at once: the export name is the disk, [JOB/]PARAMS with the",
            "disk parameters separated by commas, e.g. nbd://HOST/ci-4711/64G,seed=1. Each name has",
            "its own disk and ledger, shared by all its connections; verdicts with --http-port.",
            ""
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:stopped by SIGINT or SIGTERM",
            "1:could not listen",
            "2:bad command line"
        })
public final class ServeCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-U", "--unix"},
            paramLabel = "PATH",
            description =
                    "Listen on a unix socket (mode 0600) instead of TCP; '-' makes a private one in a fresh 0700 folder.")
    Path unixSocket;

    @Option(
            names = {"-p", "--port"},
            paramLabel = "PORT",
            description = "Listen on TCP (default 10809 without -U; 0 picks a free port).")
    Integer port;

    @Option(
            names = {"-i", "--ipaddr"},
            paramLabel = "ADDR",
            defaultValue = "127.0.0.1",
            description =
                    "Address of the NBD and HTTP listeners (default ${DEFAULT-VALUE}; 0.0.0.0 for all"
                            + " interfaces).")
    String ipaddr;

    @Option(
            names = {"-r", "--readonly"},
            description = "Serve read-only: writes, zeroes and trims fail with EPERM.")
    boolean readOnly;

    @Mixin TlsOptions tls;

    @Option(
            names = "--export",
            paramLabel = "NAME",
            description =
                    "Declare an export up front (repeatable): listed from the start and never"
                            + " forgotten when idle.")
    List<String> declared = new ArrayList<>();

    @Option(
            names = "--max-exports",
            paramLabel = "N",
            defaultValue = "1000",
            description =
                    "Most exports known at once (default ${DEFAULT-VALUE}); past it a new name is"
                            + " refused.")
    int maxExports;

    @Option(
            names = "--idle-expiry",
            paramLabel = "DURATION",
            defaultValue = "1h",
            description =
                    "Forget an export (and its ledger) after this long with no connection"
                            + " (default ${DEFAULT-VALUE}; e.g. 30s, 10m, 2h).")
    String idleExpiry;

    @Option(
            names = "--http-port",
            paramLabel = "PORT",
            description =
                    "Serve the HTTP API (exports, verdicts, metrics) on this port, on the -i address.")
    Integer httpPort;

    @Option(
            names = "--http-token",
            paramLabel = "FILE",
            description =
                    "Every HTTP request needs 'Authorization: Bearer' with the token in FILE.")
    Path httpToken;

    @Mixin FaultOptions faultOptions = new FaultOptions();

    @Mixin ConnectionOptions connections = new ConnectionOptions();

    @Option(
            names = {"-v", "--verbose"},
            description = "Debug logging on stderr.")
    boolean verbose;

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        checkPort("--port", port);
        checkPort("--http-port", httpPort);
        if (port != null && unixSocket != null) {
            throw usage("-U and -p cannot be used together");
        }
        if (maxExports < 1) {
            throw usage("--max-exports: " + maxExports + " must be at least 1");
        }
        Duration expiry;
        try {
            expiry = Durations.parse("--idle-expiry", idleExpiry);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (expiry.isZero() || expiry.isNegative()) {
            throw usage("--idle-expiry: '" + idleExpiry + "' must be positive");
        }
        for (String name : declared) {
            try {
                ExportName.parse(name);
            } catch (IllegalArgumentException e) {
                throw usage("--export '" + name + "': " + e.getMessage());
            }
        }
        if (declared.size() > maxExports) {
            throw usage(declared.size() + " --export names, more than --max-exports " + maxExports);
        }
        FaultPlan faults = faultOptions.plan(spec);
        int maxConnections = connections.maxConnections();
        String token = readToken();
        TlsConfig tlsConfig = tls.config(spec.commandLine());
        // Any export may ask for nbdkit's random content, which wants the Vector API, or be large,
        // which wants C2: relaunch once now.
        Integer relaunched = Relaunch.ifNeeded(true, true);
        if (relaunched != null) {
            return relaunched;
        }

        PrometheusMeterRegistry registry = PrometheusEndpoint.newRegistry();
        ServerMetrics metrics = new ServerMetrics(registry);
        ServiceExports exports =
                new ServiceExports(
                        new ServiceExports.Limits(maxExports, expiry),
                        System::nanoTime,
                        faults,
                        new ExportMeters(registry));
        try (exports) {
            for (String name : declared) {
                try {
                    exports.declare(name);
                } catch (IllegalArgumentException e) {
                    throw usage("--export '" + name + "': " + e.getMessage());
                }
            }
            NbdServer.Builder b =
                    NbdServer.builder()
                            .exports(exports)
                            .readOnly(readOnly)
                            .tls(tlsConfig)
                            .listener(metrics)
                            .faults(FaultWiring.serverFaults(faults))
                            .transmissionObserver(exports.observers())
                            .maxConnections(maxConnections);
            Endpoint endpoint =
                    unixSocket != null
                            ? Endpoint.unix(unixSocket.toString(), "")
                            : Endpoint.tcp(ipaddr, port == null ? 10809 : port, "");
            if (endpoint.isUnix()) {
                b.unixSocket(endpoint.socket());
            } else {
                b.tcp(ipaddr, endpoint.port());
            }
            if (tlsConfig.mode() != TlsConfig.Mode.OFF) {
                endpoint.useTls(tls.certificates());
            }
            NbdServer server = b.build();
            ServiceHttp http = null;
            try {
                server.start();
                if (httpPort != null) {
                    http = ServiceHttp.start(exports, registry, ipaddr, httpPort, token);
                }
            } catch (IOException e) {
                server.close();
                endpoint.cleanUp();
                err.println("sparse-random: cannot listen: " + e.getMessage());
                return 1;
            }
            ServiceHttp api = http;
            try (server;
                    api) {
                String uri = uriBase(endpoint, server);
                err.println(
                        "sparse-random: service at "
                                + uri
                                + " (the export name is the disk, e.g. "
                                + example(uri)
                                + ")");
                if (api != null) {
                    err.println(
                            "sparse-random: HTTP API at http://"
                                    + hostForUri(ipaddr)
                                    + ":"
                                    + api.port()
                                    + "/exports");
                    if (token == null && !InetAddress.getByName(ipaddr).isLoopbackAddress()) {
                        err.println(
                                "sparse-random: warning: the HTTP API listens beyond loopback"
                                        + " without --http-token: anyone who reaches it reads the"
                                        + " verdicts, and DELETE is refused");
                    }
                }
                err.flush();
                CountDownLatch stop = new CountDownLatch(1);
                new Signals().onSignal(stop::countDown);
                stop.await();
            }
            endpoint.cleanUp();
            err.println("sparse-random: service stopped (" + exports.size() + " exports known)");
        }
        return 0;
    }

    private void checkPort(String option, Integer p) {
        if (p != null && (p < 0 || p > 65535)) {
            throw usage(option + ": " + p + " is not a TCP port");
        }
    }

    private String readToken() {
        if (httpToken == null) {
            return null;
        }
        String t;
        try {
            t = Files.readString(httpToken, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw usage("--http-token: cannot read " + httpToken + ": " + e.getMessage());
        }
        if (t.isEmpty() || t.contains("\n")) {
            throw usage("--http-token: " + httpToken + " must hold one non-empty line");
        }
        return t;
    }

    private static String hostForUri(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** The URI of the empty name: clients append the disk. */
    private static String uriBase(Endpoint e, NbdServer server) {
        String scheme = e.tls() ? "nbds" : "nbd";
        if (e.isUnix()) {
            return scheme + "+unix:///?socket=" + e.socket();
        }
        return scheme + "://" + hostForUri(e.host()) + ":" + server.port() + "/";
    }

    private static String example(String base) {
        int q = base.indexOf('?');
        return q < 0 ? base + "1T,seed=1" : base.substring(0, q) + "1T,seed=1" + base.substring(q);
    }
}
