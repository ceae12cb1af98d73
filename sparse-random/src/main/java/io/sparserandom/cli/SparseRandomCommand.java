package io.sparserandom.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sparserandom.copy.Copier;
import io.sparserandom.copy.CopyException;
import io.sparserandom.copy.CopyOptions;
import io.sparserandom.faults.FaultPlan;
import io.sparserandom.generator.DiskParams;
import io.sparserandom.generator.SparseRandomDisk;
import io.sparserandom.metrics.PrometheusEndpoint;
import io.sparserandom.metrics.ServerMetrics;
import io.sparserandom.metrics.StatsText;
import io.sparserandom.runner.CaptiveCommand;
import io.sparserandom.runner.CaptiveServer;
import io.sparserandom.runner.Endpoint;
import io.sparserandom.runner.Relaunch;
import io.sparserandom.server.BoundUnixSocket;
import io.sparserandom.server.TlsConfig;
import io.sparserandom.verifier.CoverageLedger;
import io.sparserandom.verifier.Verdict;
import io.sparserandom.verifier.VerdictWriter;
import io.sparserandom.verifier.Verifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sparse-random [OPTIONS] [size=]SIZE [seed=N] [percent=P] [runlength=BYTES]
 * [random-content=BOOL] [compat=nbdkit]}: serve the disk, verifying every write; with --run, run a
 * command against it and exit with the verdict.
 */
@Command(
        name = "sparse-random",
        // No @Command methods: saves picocli reading every method (and loading the classes
        // their signatures name), 13 % of the start-up after the JVM's own.
        addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Serve a seeded, VM-shaped sparse disk over NBD that verifies every write.",
            "Reads return islands of data in a sea of holes, generated on the fly; writes must equal",
            "the disk's bytes (else EIO), so one server is both the source and the target of a copy:",
            "",
            "  sparse-random 1T --run 'nbdcopy \"$uri\" \"$uri\"'",
            ""
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:all is well",
            "1:internal error (e.g. the server could not start)",
            "2:bad command line",
            "3:a write, zero or trim was rejected (and the tool still exited 0)",
            "4:with --check-complete: some data was never written back",
            "5:with --check-durable: some write was never made durable (3 and 4 win)",
            "N:the --run command's own non-zero status wins over 3, 4 and 5"
        })
public final class SparseRandomCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin FaultOptions faultOptions = new FaultOptions();

    @Parameters(
            paramLabel = "PARAM",
            arity = "0..*",
            description = {
                "[size=]SIZE (required; bytes or K M G T P E, up to 2^63-1), seed=N (unsigned 32-bit;"
                        + " default random, printed), percent=P (0-100, default 10), runlength=BYTES (mean data run,"
                        + " default 16M), random-content=BOOL (default false), compat=nbdkit (byte-exact nbdkit bytes)"
            })
    List<String> params = new ArrayList<>();

    @Option(
            names = {"-U", "--unix"},
            paramLabel = "PATH",
            description =
                    "Listen on a unix socket; '-' makes a private one in a fresh 0700 folder (the default with --run).")
    String unixSocket;

    @Option(
            names = {"-p", "--port"},
            paramLabel = "PORT",
            description = "Listen on TCP (default 10809 without --run and -U).")
    Integer port;

    @Option(
            names = {"-i", "--ipaddr"},
            paramLabel = "ADDR",
            defaultValue = "127.0.0.1",
            description =
                    "TCP address to listen on (default ${DEFAULT-VALUE}; give 0.0.0.0 to listen on all interfaces).")
    String ipaddr;

    @Option(
            names = {"-r", "--readonly"},
            description = "Serve read-only: writes, zeroes and trims fail with EPERM.")
    boolean readOnly;

    @Option(
            names = {"-e", "--exportname"},
            paramLabel = "NAME",
            defaultValue = "",
            description = "Export name (default: the empty name).")
    String exportName;

    @Option(
            names = "--run",
            paramLabel = "CMD",
            description =
                    "Run CMD with /bin/sh -c once serving, with $uri $nbd $unixsocket $port $exportname set;"
                            + " stop when it exits and exit with the verdict.")
    String run;

    @Option(
            names = "--self-copy",
            hidden = true,
            description =
                    "Instead of --run: copy the disk onto itself with the built-in copier in this JVM"
                            + " (the launcher's class-data training run).")
    boolean selfCopy;

    @Option(
            names = "--check-complete",
            description = "Fail (exit 4) unless every data byte was written back and verified.")
    boolean checkComplete;

    @CommandLine.Mixin DurabilityOptions durability;

    @Option(
            names = "--verdict",
            paramLabel = "FILE",
            description = "Write the verdict as JSON to FILE.")
    Path verdictFile;

    @Option(
            names = "--junit",
            paramLabel = "FILE",
            description = "Write the verdict as JUnit XML to FILE.")
    Path junitFile;

    @Option(
            names = "--stats",
            description =
                    "Print what the clients did (commands, request sizes, bytes, connections) at exit.")
    boolean stats;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description =
                    "Expose the server's meters for Prometheus at http://ADDR:PORT/metrics (ADDR from -i).")
    Integer metricsPort;

    @Option(
            names = "--no-coverage",
            hidden = true,
            description =
                    "Benchmarking only: verify writes but record no coverage (cannot prove completeness).")
    boolean noCoverage;

    @CommandLine.Mixin TlsOptions tlsOptions = new TlsOptions();

    @CommandLine.Mixin ConnectionOptions connections = new ConnectionOptions();

    @Option(
            names = {"-v", "--verbose"},
            description = "Debug logging on stderr.")
    boolean verbose;

    /**
     * picocli's command line for this command, or, for a command {@link FastPath} read, a bare one
     * made when a usage error needs one (building a command line costs picocli's converters).
     */
    private CommandLine commandLine() {
        if (spec == null) {
            spec = CommandLine.Model.CommandSpec.create();
        }
        if (spec.commandLine() == null) {
            new CommandLine(spec);
        }
        return spec.commandLine();
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err =
                spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
        DiskArguments.Parsed parsed;
        try {
            parsed = DiskArguments.parse(params);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine(), e.getMessage());
        }
        Integer relaunched =
                Relaunch.ifNeeded(
                        Relaunch.wantsVector(parsed.params()),
                        Relaunch.wantsFullJit(parsed.params()));
        if (relaunched != null) {
            return relaunched;
        }
        if (port != null && (port < 0 || port > 65535)) {
            throw new CommandLine.ParameterException(
                    commandLine(), "--port: " + port + " is not a TCP port");
        }
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
            throw new CommandLine.ParameterException(
                    commandLine(), "--metrics-port: " + metricsPort + " is not a TCP port");
        }
        if (selfCopy && run != null) {
            throw new CommandLine.ParameterException(
                    commandLine(), "--self-copy and --run cannot be used together");
        }
        if (port != null && unixSocket != null) {
            throw new CommandLine.ParameterException(
                    commandLine(), "-U and -p cannot be used together");
        }
        TlsConfig tlsConfig = tlsOptions.config(this::commandLine);
        FaultPlan faults = faultOptions.plan(this::commandLine);
        int maxConnections = connections.maxConnections(this::commandLine);
        DiskParams p = parsed.params();
        if (p.shape() != null) {
            err.println("sparse-random: " + CaptiveServer.describe(p));
        } else {
            // Concatenated, not printf: the formatter's first use loads locale data (3 % of a
            // start-up).
            err.println(
                    "sparse-random: size="
                            + p.size()
                            + " seed="
                            + p.seed()
                            + " percent="
                            + CaptiveServer.trimDouble(p.percent())
                            + " runlength="
                            + p.runlength()
                            + " random-content="
                            + p.randomContent()
                            + (p.model() == DiskParams.Model.NBDKIT ? " compat=nbdkit" : ""));
        }
        if (!faults.isEmpty()) {
            err.println(
                    "sparse-random: faults: "
                            + faults
                            + " (fault seed "
                            + faults.seed(p.seed())
                            + ")");
        }
        err.flush();

        Endpoint endpoint;
        if (unixSocket != null) {
            endpoint = Endpoint.unix(unixSocket, exportName);
        } else if (port != null) {
            endpoint = Endpoint.tcp(ipaddr, port, exportName);
        } else if (run != null || selfCopy) {
            endpoint = Endpoint.unix("-", exportName);
        } else {
            endpoint = Endpoint.tcp(ipaddr, 10809, exportName);
        }

        if (tlsConfig.mode() != TlsConfig.Mode.OFF) {
            endpoint.useTls(tlsOptions.certificates());
        }

        long started = System.nanoTime();
        SparseRandomDisk disk = SparseRandomDisk.create(p);
        Signals signals = new Signals();
        // The command starts before the server when its socket can be bound first (the warm-up
        // thread does it): its own start-up, and its connect, then overlap Netty's. Not with a
        // metrics port, which the command may expect to find open.
        CaptiveCommand child = null;
        if (run != null && endpoint.isUnix() && metricsPort == null) {
            BoundUnixSocket early = WarmUp.listen(endpoint.socket());
            if (early != null) {
                endpoint.listening(early);
                try {
                    child = CaptiveCommand.start(run, endpoint);
                } catch (IOException e) {
                    endpoint.cleanUp();
                    throw e;
                }
                signals.onSignal(child::terminate);
                LoggerFactory.getLogger(SparseRandomCommand.class)
                        .debug("command started; its socket is bound ahead of the server");
            }
        }
        WarmUp.await();
        Integer toolStatus = null;
        Verifier verifier;
        CaptiveServer captive;
        // Micrometer only when asked for: its registry and ~115 classes cost start-up otherwise.
        boolean metered = stats || metricsPort != null;
        PrometheusMeterRegistry registry = metered ? PrometheusEndpoint.newRegistry() : null;
        ServerMetrics metrics = metered ? new ServerMetrics(registry) : null;
        PrometheusEndpoint prometheus = null;
        try {
            if (metricsPort != null) {
                prometheus = PrometheusEndpoint.start(registry, ipaddr, metricsPort);
                err.println(
                        "sparse-random: metrics at http://"
                                + ipaddr
                                + ":"
                                + prometheus.port()
                                + "/metrics");
            }
            captive =
                    CaptiveServer.start(
                            disk,
                            endpoint,
                            readOnly,
                            metrics,
                            noCoverage ? CoverageLedger.countersOnly() : new CoverageLedger(),
                            tlsConfig,
                            faults,
                            maxConnections);
        } catch (IOException e) {
            err.println("sparse-random: " + e.getMessage());
            if (prometheus != null) {
                prometheus.close();
            }
            if (child != null) {
                // It may be waiting for a greeting that will not come.
                child.terminate();
            }
            endpoint.cleanUp();
            return 1;
        }
        // Effectively final, so it can be a resource without a variable nobody reads.
        PrometheusEndpoint metricsEndpoint = prometheus;
        try (captive;
                metricsEndpoint) {
            verifier = captive.verifier();
            if (run != null) {
                if (child == null) {
                    child = CaptiveCommand.start(run, endpoint);
                    signals.onSignal(child::terminate);
                }
                toolStatus = child.waitFor();
            } else if (selfCopy) {
                toolStatus = selfCopy(endpoint, err);
            } else {
                err.println("sparse-random: serving " + endpoint.uri() + " (Ctrl-C to stop)");
                err.flush();
                CountDownLatch stop = new CountDownLatch(1);
                signals.onSignal(stop::countDown);
                stop.await();
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        Verdict verdict =
                Verdict.compute(
                                disk,
                                verifier.ledger(),
                                toolStatus,
                                checkComplete,
                                durability.checkDurable(),
                                elapsed)
                        .withInjectedErrors(captive.injectedErrors());
        if (stats) {
            err.print(StatsText.format(metrics));
        }
        err.print(VerdictWriter.summary(verdict));
        err.flush();
        if (verdictFile != null) {
            Files.writeString(verdictFile, VerdictWriter.json(verdict), StandardCharsets.UTF_8);
        }
        if (junitFile != null) {
            Files.writeString(
                    junitFile,
                    VerdictWriter.junit(verdict, "sparse-random"),
                    StandardCharsets.UTF_8);
        }
        return verdict.exitStatus();
    }

    /**
     * The built-in copier from the endpoint onto itself; its status as a --run command's would be.
     */
    private static int selfCopy(Endpoint endpoint, PrintWriter err) {
        try {
            new Copier(CopyOptions.defaults(endpoint.uri(), endpoint.uri())).run(plan -> {});
            return 0;
        } catch (CopyException | RuntimeException e) {
            err.println("sparse-random: --self-copy: " + e.getMessage());
            return 1;
        }
    }
}
