package io.sparserandom.runner;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sparserandom.device.DeviceException;
import io.sparserandom.faults.FaultPlan;
import io.sparserandom.generator.DiskParams;
import io.sparserandom.generator.SparseRandomDisk;
import io.sparserandom.metrics.ServerMetrics;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.reports.BenchReport;
import io.sparserandom.reports.Machine;
import io.sparserandom.reports.RunResult;
import io.sparserandom.reports.ToolInfo;
import io.sparserandom.reports.ToolProfile;
import io.sparserandom.reports.ToolProfile.Bucket;
import io.sparserandom.server.TlsConfig;
import io.sparserandom.verifier.CoverageLedger;
import io.sparserandom.verifier.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The benchmark runner: one warm-up run per tool (not counted), then {@code repeat} runs with the
 * tools interleaved (A B C A B C ...) so that drift on a noisy machine hits all alike. Every run
 * gets a fresh server and ledger on a private socket; the tool copies the disk onto itself and the
 * verdict is taken with --check-complete semantics: a run that does not verify is a failed run,
 * never a timing.
 */
public final class Bench {

    /**
     * One point of a sweep: the swept parameters' values and the disk and tools they resolve to.
     * Without a sweep there is one point with no parameters.
     */
    public record Point(
            Map<String, String> parameters,
            DiskParams params,
            List<ToolSpec> tools,
            FaultPlan faults) {
        public Point {
            parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
            tools = List.copyOf(tools);
            Objects.requireNonNull(faults, "faults");
        }

        /** Without faults. */
        public Point(Map<String, String> parameters, DiskParams params, List<ToolSpec> tools) {
            this(parameters, params, tools, FaultPlan.none());
        }
    }

    /**
     * What the report says about a sweep: each swept parameter's values, and each tool's command as
     * written (with its {NAME} placeholders). Empty without a sweep.
     */
    public record Sweep(Map<String, List<String>> values, Map<String, String> commands) {
        public static final Sweep NONE = new Sweep(Map.of(), Map.of());
    }

    private final List<Point> points;
    private final Sweep sweep;
    private final int repeat;
    private final boolean tcp;
    private final Duration timeout;
    private final PrintWriter err;
    private final boolean terminal;

    public Bench(
            DiskParams params,
            List<ToolSpec> tools,
            int repeat,
            boolean tcp,
            Duration timeout,
            PrintWriter err,
            boolean terminal) {
        this(
                List.of(new Point(Map.of(), params, tools)),
                Sweep.NONE,
                repeat,
                tcp,
                timeout,
                err,
                terminal);
    }

    /** A sweep: the points run interleaved, round by round, like the tools. */
    public Bench(
            List<Point> points,
            Sweep sweep,
            int repeat,
            boolean tcp,
            Duration timeout,
            PrintWriter err,
            boolean terminal) {
        this.points = List.copyOf(points);
        this.sweep = sweep;
        this.repeat = repeat;
        this.tcp = tcp;
        this.timeout = timeout;
        this.err = err;
        this.terminal = terminal;
    }

    /** Runs every tool; a tool that is not installed is skipped with a note on the error stream. */
    public BenchReport run() throws IOException, InterruptedException, DeviceException {
        Instant started = Instant.now();
        List<RunResult> runs = new ArrayList<>();
        Map<String, ToolProfile> profiles = new LinkedHashMap<>();
        List<SparseRandomDisk> disks = new ArrayList<>();
        List<List<ToolSpec>> available = new ArrayList<>();
        Set<String> skipped = new LinkedHashSet<>();
        for (Point point : points) {
            disks.add(SparseRandomDisk.create(point.params()));
            available.add(point.tools().stream().filter(ToolSpec::available).toList());
            for (ToolSpec t : point.tools()) {
                if (!t.available() && skipped.add(t.name() + ": " + t.unavailableReason())) {
                    err.println("bench: skipping " + t.name() + ": " + t.unavailableReason());
                }
            }
        }
        Progress progress =
                new Progress((repeat + 1) * available.stream().mapToInt(List::size).sum());
        List<String> notes = new ArrayList<>();
        // Each sweep point may have its own faults (a swept --delay); name each distinct set once.
        points.stream()
                .map(Point::faults)
                .filter(f -> !f.isEmpty())
                .map(f -> "faults: " + f)
                .distinct()
                .forEach(notes::add);
        try (ToolRunner runner = ToolRunner.create()) {
            if (runner.accountingNote() != null) {
                notes.add(runner.accountingNote());
                err.println("bench: " + runner.accountingNote());
                err.flush();
            }
            for (int round = 0; round <= repeat; round++) {
                for (int p = 0; p < points.size(); p++) {
                    Point point = points.get(p);
                    for (ToolSpec tool : available.get(p)) {
                        Measured m = runOnce(runner, disks.get(p), point, tool, round, progress);
                        runs.add(m.result);
                        String key = m.profile.tool();
                        if (round > 0 || !profiles.containsKey(key)) {
                            profiles.put(key, m.profile);
                        }
                    }
                }
            }
        }
        Map<String, ToolInfo> infos = new LinkedHashMap<>();
        for (Point point : points) {
            for (ToolSpec t : point.tools()) {
                infos.putIfAbsent(
                        t.name(),
                        new ToolInfo(
                                t.name(),
                                sweep.commands().getOrDefault(t.name(), t.command()),
                                t.version(),
                                t.available(),
                                t.unavailableReason()));
            }
        }
        return new BenchReport(
                BenchReport.SCHEMA,
                started,
                Instant.now(),
                Machine.detect(),
                diskMap(),
                repeat,
                List.copyOf(infos.values()),
                runs,
                profiles,
                notes,
                sweep.values(),
                null);
    }

    private record Measured(RunResult result, ToolProfile profile) {}

    private Measured runOnce(
            ToolRunner runner,
            SparseRandomDisk disk,
            Point point,
            ToolSpec tool,
            int round,
            Progress progress)
            throws IOException, InterruptedException, DeviceException {
        String name = label(tool.name(), point.parameters());
        String label = name + (round == 0 ? " warm-up" : " run " + round + "/" + repeat);
        ServerMetrics metrics = new ServerMetrics(new SimpleMeterRegistry());
        Endpoint endpoint = tcp ? Endpoint.tcp("127.0.0.1", 0, "") : Endpoint.unix("-", "");
        ToolRunner.Outcome run;
        double serverCpu;
        Verdict verdict;
        String failure = null;
        try (CaptiveServer server =
                CaptiveServer.start(
                        disk,
                        endpoint,
                        false,
                        metrics,
                        new CoverageLedger(),
                        TlsConfig.OFF,
                        point.faults())) {
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            run =
                    runner.run(
                            tool.command(),
                            endpoint,
                            timeout,
                            Duration.ofMillis(terminal ? 250 : 1000),
                            () -> {
                                if (terminal) {
                                    err.print(
                                            progress.line(
                                                    label,
                                                    name,
                                                    (System.nanoTime() - t0) / 1e9,
                                                    verifiedBytes(metrics)));
                                    err.flush();
                                }
                            });
            serverCpu = (processCpuNanos() - cpu0) / 1e9;
            if (run.timedOut()) {
                failure = "timed out after " + timeout.toSeconds() + " s";
            } else if (run.exitStatus() != 0) {
                failure =
                        "exited with status "
                                + run.exitStatus()
                                + (run.lastLine().isEmpty() ? "" : ": " + run.lastLine());
            }
            verdict =
                    Verdict.compute(
                            disk,
                            server.verifier().ledger(),
                            run.exitStatus(),
                            true,
                            Duration.ofNanos((long) (run.wallSeconds() * 1e9)));
        }
        if (failure == null && !verdict.passed()) {
            failure =
                    verdict.noRejects()
                            ? verdict.incompleteReason()
                            : verdict.ledger().rejectedCount()
                                    + " request(s) rejected: "
                                    + verdict.ledger().mismatches().get(0).message();
        }
        RunResult result =
                new RunResult(
                        tool.name(),
                        round,
                        round == 0,
                        run.wallSeconds(),
                        run.userSeconds(),
                        run.systemSeconds(),
                        run.peakRssBytes(),
                        serverCpu,
                        disk.size(),
                        verdict.dataVerified(),
                        run.exitStatus(),
                        verdict.passed(),
                        failure,
                        point.parameters());
        progress.finished(name, run.wallSeconds(), verifiedBytes(metrics));
        if (terminal) {
            err.print("\r\033[K");
        }
        err.printf(
                Locale.ROOT,
                "bench: %-10s %-12s %8.3f s  %s%n",
                name,
                round == 0 ? "warm-up" : "run " + round + "/" + repeat,
                run.wallSeconds(),
                verdict.passed() ? "verified" : "FAILED: " + failure);
        err.flush();
        return new Measured(result, profile(name, metrics, disk.size()));
    }

    private static ToolProfile profile(String tool, ServerMetrics m, long diskSize) {
        Map<String, Long> counts = new LinkedHashMap<>();
        // One bucket per power of two, and a last one for anything larger (big zero requests).
        long[] buckets = new long[ServerMetrics.SIZE_BUCKETS.length + 1];
        for (NbdCommand c : NbdCommand.values()) {
            long n = m.count(c);
            if (n > 0) {
                counts.put(c.name(), n);
            }
            if (c == NbdCommand.READ
                    || c == NbdCommand.WRITE
                    || c == NbdCommand.WRITE_ZEROES
                    || c == NbdCommand.TRIM) {
                CountAtBucket[] cab = m.sizes(c).takeSnapshot().histogramCounts();
                // Cumulative counts per bucket: turn them into per-bucket counts.
                double prev = 0;
                for (int i = 0; i < cab.length && i < buckets.length - 1; i++) {
                    buckets[i] += (long) (cab[i].count() - prev);
                    prev = cab[i].count();
                }
                buckets[buckets.length - 1] += (long) (m.sizes(c).count() - prev);
            }
        }
        List<Bucket> sizes = new ArrayList<>();
        for (int i = 0; i < buckets.length; i++) {
            long upper =
                    i < ServerMetrics.SIZE_BUCKETS.length
                            ? (long) ServerMetrics.SIZE_BUCKETS[i]
                            : Long.MAX_VALUE;
            sizes.add(new Bucket(upper, buckets[i]));
        }
        boolean usedBlockStatus = m.count(NbdCommand.BLOCK_STATUS) > 0 && m.bytesRead() < diskSize;
        return new ToolProfile(
                tool,
                counts,
                sizes,
                m.bytesRead(),
                m.bytesWritten(),
                m.bytesZeroed(),
                m.bytesTrimmed(),
                m.connections(),
                m.maxInFlight(),
                usedBlockStatus);
    }

    /**
     * The disk parameters; a parameter that differs between sweep points shows its values in order,
     * comma-separated.
     */
    private Map<String, String> diskMap() {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (Point point : points) {
            diskMap(point.params())
                    .forEach(
                            (k, v) -> values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v));
        }
        Map<String, String> d = new LinkedHashMap<>();
        values.forEach((k, v) -> d.put(k, String.join(",", v)));
        return d;
    }

    private static Map<String, String> diskMap(DiskParams params) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("size", Long.toString(params.size()));
        d.put("seed", Long.toString(params.seed()));
        d.put("percent", CaptiveServer.trimDouble(params.percent()));
        d.put("runlength", Long.toString(params.runlength()));
        d.put("random-content", Boolean.toString(params.randomContent()));
        d.put("compat", params.model() == DiskParams.Model.NBDKIT ? "nbdkit" : "none");
        if (params.shape() != null) {
            d.put("shape", params.shape().source());
        }
        return d;
    }

    /** Bytes the server has verified so far: every write and zero is checked as it arrives. */
    private static long verifiedBytes(ServerMetrics m) {
        return m.bytesWritten() + m.bytesZeroed() + m.bytesTrimmed();
    }

    private static String label(String tool, Map<String, String> parameters) {
        StringBuilder s = new StringBuilder(tool);
        parameters.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
        return s.toString();
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
