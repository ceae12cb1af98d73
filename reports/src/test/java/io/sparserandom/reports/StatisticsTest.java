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
        assertEquals(1.0, nbdcopy.ratioToFastest().value(), 0, "the fastest tool's ratio is 1");

        ToolStats qemu = stats.get(1);
        assertFalse(qemu.passed());
        assertEquals(5, qemu.runs());
        assertEquals(1, qemu.failed());
        assertEquals(4, qemu.wall().n(), "the failed run is not timed");
        assertEquals(4.02, qemu.wall().min(), 0, "the failed 0.90 s run is not the minimum");
        assertNull(qemu.ratioToFastest(), "a failed tool gets no ratio");
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
        assertEquals(1.0, slow.ratioToFastest().value(), 0);
        assertNull(
                stats.stream()
                        .filter(s -> s.tool().equals("cheat"))
                        .findFirst()
                        .orElseThrow()
                        .ratioToFastest());
    }

    @Test
    void ratioAgainstHandComputedIntervals() {
        List<RunResult> runs = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
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
        Ratio b = stats.get(0).ratioToFastest();
        // a: CI [1.03676, 4.96324]; b: CI [2.07352, 9.92648]; low = 2.07352/4.96324, high =
        // 9.92648/1.03676
        assertEquals(2.0, b.value(), 1e-12);
        assertEquals(0.417776, b.low(), 1e-5);
        assertEquals(9.574536, b.high(), 1e-4);
        Ratio a = stats.get(1).ratioToFastest();
        assertEquals(1.0, a.value(), 0);
        assertTrue(a.low() < 1 && a.high() > 1);
    }

    @Test
    void ratioClampsNegativeLowerBounds() {
        Summary noisy = Summary.of(0.1, 5); // CI reaches far below zero
        Summary tool = Summary.of(1, 9);
        assertTrue(noisy.ci95Low() < 0);
        Ratio r = Ratio.of(tool, noisy);
        assertEquals(5 / 2.55, r.value(), 1e-9);
        assertEquals(0, r.low(), 0, "tool's negative lower bound clamped to 0");
        assertEquals(
                Double.POSITIVE_INFINITY,
                r.high(),
                "cannot bound the ratio when the fastest may be 0");
    }

    @Test
    void singleRunIsNaNFree() {
        List<ToolStats> stats =
                report(List.of(), List.of(run("x", 0, 9), run("x", 1, 2), run("y", 1, 4)))
                        .statistics();
        for (ToolStats s : stats) {
            assertNotNull(s.wall());
            for (double v :
                    new double[] {
                        s.wall().mean(),
                        s.wall().stddev(),
                        s.wall().ci95Low(),
                        s.wall().ci95High(),
                        s.ratioToFastest().low(),
                        s.ratioToFastest().high()
                    }) {
                assertTrue(Double.isFinite(v), s + " has " + v);
            }
        }
        assertEquals(2.0, stats.get(1).ratioToFastest().value(), 0);
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
        assertNull(s.ratioToFastest());
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
