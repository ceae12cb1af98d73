package io.sparserandom.runner;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sparserandom.device.DeviceException;
import io.sparserandom.generator.DiskParams;
import io.sparserandom.generator.SparseRandomDisk;
import io.sparserandom.metrics.ServerMetrics;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.reports.BenchReport;
import io.sparserandom.reports.Format;
import io.sparserandom.reports.Machine;
import io.sparserandom.reports.RunResult;
import io.sparserandom.reports.ToolInfo;
import io.sparserandom.reports.ToolProfile;
import io.sparserandom.reports.ToolProfile.Bucket;
import io.sparserandom.verifier.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark runner: one warm-up run per tool (not counted), then {@code repeat} runs with the
 * tools interleaved (A B C A B C ...) so that drift on a noisy machine hits all alike. Every run
 * gets a fresh server and ledger on a private socket; the tool copies the disk onto itself and the
 * verdict is taken with --check-complete semantics: a run that does not verify is a failed run,
 * never a timing.
 */
public final class Bench {
    private final DiskParams params;
    private final List<ToolSpec> tools;
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
        this.params = params;
        this.tools = tools;
        this.repeat = repeat;
        this.tcp = tcp;
        this.timeout = timeout;
        this.err = err;
        this.terminal = terminal;
    }

    /** Runs every tool; a tool that is not installed is skipped with a note on the error stream. */
    public BenchReport run() throws IOException, InterruptedException, DeviceException {
        Instant started = Instant.now();
        SparseRandomDisk disk = SparseRandomDisk.create(params);
        List<RunResult> runs = new ArrayList<>();
        Map<String, ToolProfile> profiles = new LinkedHashMap<>();
        List<ToolSpec> available = tools.stream().filter(ToolSpec::available).toList();
        for (ToolSpec t : tools) {
            if (!t.available()) {
                err.println("bench: skipping " + t.name() + ": " + t.unavailableReason());
            }
        }
        List<String> notes = new ArrayList<>();
        try (ToolRunner runner = ToolRunner.create()) {
            if (runner.accountingNote() != null) {
                notes.add(runner.accountingNote());
                err.println("bench: " + runner.accountingNote());
                err.flush();
            }
            for (int round = 0; round <= repeat; round++) {
                for (ToolSpec tool : available) {
                    Measured m = runOnce(runner, disk, tool, round);
                    runs.add(m.result);
                    if (round > 0 || !profiles.containsKey(tool.name())) {
                        profiles.put(tool.name(), m.profile);
                    }
                }
            }
        }
        List<ToolInfo> infos =
                tools.stream()
                        .map(
                                t ->
                                        new ToolInfo(
                                                t.name(),
                                                t.command(),
                                                t.version(),
                                                t.available(),
                                                t.unavailableReason()))
                        .toList();
        return new BenchReport(
                BenchReport.SCHEMA,
                started,
                Instant.now(),
                Machine.detect(),
                diskMap(),
                repeat,
                infos,
                runs,
                profiles,
                notes);
    }

    private record Measured(RunResult result, ToolProfile profile) {}

    private Measured runOnce(ToolRunner runner, SparseRandomDisk disk, ToolSpec tool, int round)
            throws IOException, InterruptedException, DeviceException {
        String label = tool.name() + (round == 0 ? " warm-up" : " run " + round + "/" + repeat);
        ServerMetrics metrics = new ServerMetrics(new SimpleMeterRegistry());
        Endpoint endpoint = tcp ? Endpoint.tcp("127.0.0.1", 0, "") : Endpoint.unix("-", "");
        ToolRunner.Outcome run;
        double serverCpu;
        Verdict verdict;
        String failure = null;
        try (CaptiveServer server = CaptiveServer.start(disk, endpoint, false, metrics)) {
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
                                    err.printf(
                                            Locale.ROOT,
                                            "\r\033[K%s  %.1f s  %s moved",
                                            label,
                                            (System.nanoTime() - t0) / 1e9,
                                            Format.bytes(
                                                    metrics.bytesRead() + metrics.bytesWritten()));
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
                        failure);
        if (terminal) {
            err.print("\r\033[K");
        }
        err.printf(
                Locale.ROOT,
                "bench: %-10s %-12s %8.3f s  %s%n",
                tool.name(),
                round == 0 ? "warm-up" : "run " + round + "/" + repeat,
                run.wallSeconds(),
                verdict.passed() ? "verified" : "FAILED: " + failure);
        err.flush();
        return new Measured(result, profile(tool.name(), metrics, disk.size()));
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

    private Map<String, String> diskMap() {
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

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
