package io.sparserandom.reports;

import static io.sparserandom.reports.SampleReports.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatisticsTest {

    private static BenchReport report(List<ToolInfo> tools, List<RunResult> runs) {
        return new BenchReport(
                BenchReport.SCHEMA,
                Instant.EPOCH,
                Instant.EPOCH,
                null,
                Map.of(),
                5,
                tools,
                runs,
                Map.of());
    }

    @Test
    void sampleReportPerTool() {
        List<ToolStats> stats = SampleReports.threeTools().statistics();
        assertEquals(
                List.of("nbdcopy", "qemu-img"),
                stats.stream().map(ToolStats::tool).toList(),
                "a tool that is not installed has no statistics");

        ToolStats nbdcopy = stats.get(0);
        assertTrue(nbdcopy.passed());
        assertEquals(5, nbdcopy.runs());
        assertEquals(0, nbdcopy.failed());
        assertEquals(5, nbdcopy.wall().n(), "warm-up not counted");
        assertEquals(2.52, nbdcopy.wall().max(), 0, "the 2.9 s warm-up is not the maximum");
        assertEquals(2.41, nbdcopy.wall().median(), 0);
        assertEquals(SampleReports.DATA / 2.41, nbdcopy.dataBytesPerSecond().median(), 1e-6);
        assertEquals(1.0, nbdcopy.ratio().value(), 0, "the fastest tool's ratio is 1");

        ToolStats qemu = stats.get(1);
        assertFalse(qemu.passed());
        assertEquals(5, qemu.runs());
        assertEquals(1, qemu.failed());
        assertEquals(4, qemu.wall().n(), "the failed run is not timed");
        assertEquals(4.02, qemu.wall().min(), 0, "the failed 0.90 s run is not the minimum");
        assertNull(qemu.ratio(), "a failed tool gets no ratio");
    }

    @Test
    void failedToolIsNeverTheFastest() {
        List<RunResult> runs = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            runs.add(run("slow", i, 3.0 + i / 10.0));
            runs.add(
                    i == 2
                            ? SampleReports.failedRun("cheat", i, 0.5, "skipped writes")
                            : run("cheat", i, 0.5));
        }
        List<ToolStats> stats = report(List.of(), runs).statistics();
        ToolStats slow =
                stats.stream().filter(s -> s.tool().equals("slow")).findFirst().orElseThrow();
        assertEquals(1.0, slow.ratio().value(), 0);
        assertNull(
                stats.stream()
                        .filter(s -> s.tool().equals("cheat"))
                        .findFirst()
                        .orElseThrow()
                        .ratio());
    }

    @Test
    void ratioOfMediansWithABootstrapInterval() {
        List<RunResult> runs = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            runs.add(run("a", i, i));
            runs.add(run("b", i, 2 * i));
        }
        List<ToolStats> stats =
                report(
                                List.of(
                                        ToolInfo.available("b", "b", "1"),
                                        ToolInfo.available("a", "a", "1")),
                                runs)
                        .statistics();
        assertEquals("b", stats.get(0).tool(), "order of the tools list");
        Ratio b = stats.get(0).ratio();
        // medians 7 and 3.5
        assertEquals(2.0, b.value(), 1e-12);
        assertEquals("a", b.reference());
        assertTrue(
                b.low() > 0 && b.low() <= 2 && b.high() >= 2 && Double.isFinite(b.high()),
                b.toString());
        Ratio a = stats.get(1).ratio();
        assertEquals(1.0, a.value(), 0);
        assertTrue(a.low() <= 1 && a.high() >= 1);
    }

    @Test
    void issueCaseNoisyFewRunsSayTooFewNotZeroToInfinity() {
        // bench 64G --repeat 3 gave "1.71× (0 – ∞)"; now the ratio has no interval at all.
        List<RunResult> runs =
                List.of(
                        run("fast", 1, 0.4),
                        run("fast", 2, 9.0),
                        run("fast", 3, 5.0),
                        run("slow", 1, 8.0),
                        run("slow", 2, 9.0),
                        run("slow", 3, 8.5));
        List<ToolStats> stats = report(List.of(), runs).statistics();
        Ratio slow = stats.get(1).ratio();
        assertEquals(8.5 / 5.0, slow.value(), 1e-12);
        assertFalse(slow.hasInterval());
        assertEquals("1.70× (too few runs)", Cells.ratio(slow));
        assertEquals("too few runs (n=3, needs 6)", Cells.medianInterval(stats.get(0).wall()));
    }

    @Test
    void referenceToolIsTheDenominatorAtTheSameSweepPoint() {
        List<RunResult> runs = new ArrayList<>();
        for (String rs : List.of("64K", "1M")) {
            double scale = rs.equals("64K") ? 2 : 1;
            for (int i = 1; i <= 6; i++) {
                runs.add(withParams(run("nbdcopy", i, scale * (1 + i / 100.0)), Map.of("rs", rs)));
                runs.add(withParams(run("qemu-img", i, 3 + i / 100.0), Map.of("rs", rs)));
            }
        }
        BenchReport r =
                new BenchReport(
                        BenchReport.SCHEMA,
                        Instant.EPOCH,
                        Instant.EPOCH,
                        null,
                        Map.of(),
                        6,
                        List.of(),
                        runs,
                        Map.of(),
                        List.of(),
                        Map.of("rs", List.of("64K", "1M")),
                        "qemu-img");
        List<ToolStats> stats = r.statistics();
        assertEquals(4, stats.size(), "tool × sweep point");
        ToolStats at64k = stats.get(0);
        assertEquals("nbdcopy rs=64K", at64k.label());
        assertEquals("qemu-img rs=64K", at64k.ratio().reference());
        assertEquals(2.07 / 3.035, at64k.ratio().value(), 1e-9);
        assertEquals(1.035 / 3.035, stats.get(1).ratio().value(), 1e-9);
        assertEquals(1.0, stats.get(2).ratio().value(), 0);
    }

    @Test
    void outliersWarningsAndCpuPerGiB() {
        List<RunResult> runs = new ArrayList<>();
        double[] wall = {9.0, 2.0, 2.1, 1.9, 2.05, 1.95, 2.0};
        for (int i = 0; i < wall.length; i++) {
            runs.add(run("x", i + 1, wall[i]));
        }
        ToolStats s = report(List.of(), runs).statistics().get(0);
        assertEquals(List.of(1), s.outlierRuns());
        assertTrue(
                s.warnings().get(0).startsWith("The first counted run was much slower"),
                s.warnings().toString());
        assertTrue(
                s.warnings().stream().anyMatch(w -> w.startsWith("The coefficient of variation")),
                s.warnings().toString());
        // SampleReports.run: server CPU = 0.8 · wall and tool CPU = 0.3 + 0.5 = 0.8 · wall over
        // DATA bytes; the median run (2.0 s) gives 1.6 s over DATA / 2^30 GiB.
        assertEquals(1.6 / (SampleReports.DATA / (double) (1L << 30)), s.serverCpuPerGiB(), 1e-9);
        assertEquals(s.serverCpuPerGiB(), s.toolCpuPerGiB(), 1e-9);

        runs.set(3, run("x", 4, 7.5));
        ToolStats other = report(List.of(), runs).statistics().get(0);
        assertTrue(
                other.warnings().stream()
                        .anyMatch(w -> w.contains("outliers were detected (run 4)")),
                other.warnings().toString());
    }

    @Test
    void quietRunsHaveNoWarnings() {
        List<RunResult> runs = new ArrayList<>();
        double[] wall = {2.0, 2.02, 1.98, 2.01, 1.99, 2.0};
        for (int i = 0; i < wall.length; i++) {
            runs.add(run("x", i + 1, wall[i]));
        }
        ToolStats s = report(List.of(), runs).statistics().get(0);
        assertEquals(List.of(), s.outlierRuns());
        assertEquals(List.of(), s.warnings());
    }

    @Test
    void singleRunIsNaNFree() {
        List<ToolStats> stats =
                report(List.of(), List.of(run("x", 0, 9), run("x", 1, 2), run("y", 1, 4)))
                        .statistics();
        for (ToolStats s : stats) {
            assertNotNull(s.wall());
            assertTrue(Double.isFinite(s.wall().mean()) && Double.isFinite(s.wall().stddev()));
            assertFalse(s.ratio().hasInterval());
        }
        assertEquals(2.0, stats.get(1).ratio().value(), 0);
    }

    static RunResult withParams(RunResult r, Map<String, String> params) {
        return new RunResult(
                r.tool(),
                r.run(),
                r.warmup(),
                r.wallSeconds(),
                r.userCpuSeconds(),
                r.systemCpuSeconds(),
                r.peakRssBytes(),
                r.serverCpuSeconds(),
                r.virtualBytes(),
                r.dataBytes(),
                r.exitStatus(),
                r.verified(),
                r.failure(),
                params);
    }

    @Test
    void toolWithOnlyFailedRunsHasNoTimings() {
        ToolStats s =
                report(List.of(), List.of(SampleReports.failedRun("x", 1, 1, "boom")))
                        .statistics()
                        .get(0);
        assertEquals(1, s.runs());
        assertEquals(1, s.failed());
        assertNull(s.wall());
        assertNull(s.dataBytesPerSecond());
        assertNull(s.ratio());
    }

    @Test
    void runFailureReasons() {
        assertNull(run("x", 1, 1).failureReason());
        assertEquals(
                "exit status 2",
                new RunResult("x", 1, false, 1, 0, 0, 0, 0, 1, 1, 2, true, null).failureReason());
        assertEquals(
                "not verified",
                new RunResult("x", 1, false, 1, 0, 0, 0, 0, 1, 1, 0, false, null).failureReason());
        assertEquals(
                4.0,
                new RunResult("x", 1, false, 2, 0, 0, 0, 0, 8, 6, 0, true, null)
                        .virtualBytesPerSecond(),
                0);
        assertEquals(
                3.0,
                new RunResult("x", 1, false, 2, 0, 0, 0, 0, 8, 6, 0, true, null)
                        .dataBytesPerSecond(),
                0);
    }

    @Test
    void bucketForIsTheNextPowerOfTwo() {
        assertEquals(1, ToolProfile.bucketFor(0));
        assertEquals(4096, ToolProfile.bucketFor(4096));
        assertEquals(8192, ToolProfile.bucketFor(4097));
        assertEquals(32L << 20, ToolProfile.bucketFor((32L << 20) - 1));
    }
}
