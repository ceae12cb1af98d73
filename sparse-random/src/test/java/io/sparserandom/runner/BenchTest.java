package io.sparserandom.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.generator.DiskParams;
import io.sparserandom.reports.BenchReport;
import io.sparserandom.reports.MarkdownReport;
import io.sparserandom.reports.RunResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BenchTest {
    @AfterEach
    void restorePython() {
        System.clearProperty(ToolRunner.PYTHON_PROPERTY);
    }

    private static BenchReport bench(StringWriter err) throws Exception {
        DiskParams params = DiskParams.defaults(1 << 20, 7, DiskParams.Model.DEFAULT);
        // "true" connects to nothing and exits 0: every run ends, and fails its verdict.
        List<ToolSpec> tools = List.of(ToolSpec.parse("idle=true"));
        return new Bench(
                        params,
                        tools,
                        2,
                        false,
                        Duration.ofMinutes(1),
                        new PrintWriter(err, true),
                        false)
                .run();
    }

    @Test
    void withoutPythonTheToolsStillRunAndCpuAndRssAreMarkedUnknown() throws Exception {
        System.setProperty(ToolRunner.PYTHON_PROPERTY, "/nonexistent/python3");
        StringWriter err = new StringWriter();
        BenchReport report = bench(err);

        assertEquals(3, report.runs().size(), "a warm-up and 2 counted runs");
        for (RunResult r : report.runs()) {
            assertEquals(0, r.exitStatus());
            assertTrue(
                    Double.isNaN(r.userCpuSeconds()) && Double.isNaN(r.systemCpuSeconds()),
                    r.toString());
            assertEquals(-1, r.peakRssBytes());
            assertTrue(r.wallSeconds() > 0);
        }
        List<String> notes =
                err.toString().lines().filter(l -> l.contains("/nonexistent/python3")).toList();
        assertEquals(1, notes.size(), err.toString());
        assertTrue(
                notes.get(0).startsWith("bench: ") && notes.get(0).contains("not measured"),
                notes.get(0));
        assertEquals(1, report.notes().size());
        assertTrue(
                report.notes().get(0).contains("/nonexistent/python3"), report.notes().toString());
        assertTrue(MarkdownReport.render(report).contains("Note: " + report.notes().get(0)));
    }

    @Test
    void withPythonCpuAndRssAreMeasured() throws Exception {
        BenchReport report = bench(new StringWriter());
        assertTrue(report.notes().isEmpty(), report.notes().toString());
        for (RunResult r : report.runs()) {
            assertFalse(Double.isNaN(r.userCpuSeconds()), r.toString());
            assertTrue(r.peakRssBytes() > 0, r.toString());
        }
    }
}
