package io.sparserandom.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareTest {

    private static BenchReport report(double nbdcopyScale, double qemuScale) {
        List<RunResult> runs = new ArrayList<>();
        double[] jitter = {1.00, 1.02, 0.98, 1.01, 0.99};
        for (int i = 0; i < jitter.length; i++) {
            runs.add(SampleReports.run("nbdcopy", i + 1, 2.0 * nbdcopyScale * jitter[i]));
            runs.add(SampleReports.run("qemu-img", i + 1, 4.0 * qemuScale * jitter[(i + 2) % 5]));
        }
        return new BenchReport(
                BenchReport.SCHEMA,
                Instant.EPOCH,
                Instant.EPOCH,
                null,
                Map.of("size", "4G"),
                5,
                List.of(),
                runs,
                Map.of());
    }

    @Test
    void flagsOnlyChangesLargerThanTheIntervals(@TempDir Path dir) throws Exception {
        BenchReport before = report(1.0, 1.0);
        BenchReport after = report(1.25, 1.005);
        // Through files, as people will use it.
        before.write(dir.resolve("before.json"));
        after.write(dir.resolve("after.json"));
        String md =
                Compare.renderFiles(List.of(dir.resolve("before.json"), dir.resolve("after.json")));
        // Five runs a side separate completely: U = 0, and the normal approximation gives
        // p = 2·Φ(-12.5 / sqrt(25·11/12)) = 0.00902 (scipy.stats.mannwhitneyu with
        // method="asymptotic", use_continuity=False gives the same).
        assertTrue(
                md.contains(
                        "| nbdcopy | 2.00 s (n=5) | 2.50 s (n=5) | +25.0 % (too few runs) | 0.00902 |"
                                + " **slower** ⚠ |"),
                md);
        assertTrue(
                md.contains("| qemu-img | 4.00 s (n=5) | 4.02 s (n=5) | +0.500 % (too few runs) |"),
                md);
        assertTrue(md.contains("| no clear change |"), md);

        String faster = Compare.render(List.of(after, before));
        assertTrue(faster.contains("| -20.0 % (too few runs) | 0.00902 | **faster** |"), faster);
        assertEquals(List.of(), Compare.differences(List.of(before, after)));
    }

    @Test
    void changeHasABootstrapIntervalWithSixRuns() {
        double[] base = {2.0, 2.04, 1.96, 2.02, 1.98, 2.01};
        double[] now = {2.5, 2.55, 2.45, 2.52, 2.48, 2.51};
        Compare.Change c = Compare.change(base, now);
        assertEquals(2.505 / 2.005 - 1, c.change(), 1e-12);
        assertTrue(c.low() > 0 && c.low() <= c.change() && c.high() >= c.change(), c.toString());
        assertTrue(c.significant());
        Compare.Change same = Compare.change(base, base);
        assertEquals(0, same.change(), 0);
        assertEquals("no clear change", same.verdict());
    }

    @Test
    void differencesNameTheDiskAndCommandsButNotTheSeed() {
        BenchReport a =
                withDisk(
                        report(1, 1),
                        Map.of("size", "68719476736", "seed", "1"),
                        List.of(
                                ToolInfo.available("nbdcopy", "nbdcopy $uri $uri", "1"),
                                ToolInfo.available(
                                        "builtin",
                                        "/a/java -cp /a.jar io.sparserandom.cli.Main copy $uri $uri",
                                        "1")));
        BenchReport b =
                withDisk(
                        report(1, 1),
                        Map.of("size", "4294967296", "seed", "2"),
                        List.of(
                                ToolInfo.available(
                                        "nbdcopy", "nbdcopy --request-size=1M $uri $uri", "1"),
                                ToolInfo.available(
                                        "builtin",
                                        "/b/java -cp /b.jar io.sparserandom.cli.Main copy $uri $uri",
                                        "2")));
        List<String> d = Compare.differences(List.of(a, b));
        assertEquals(
                List.of(
                        "report 2 vs baseline: disk size 4294967296 vs 68719476736",
                        "report 2 vs baseline: tool nbdcopy command 'nbdcopy --request-size=1M"
                                + " $uri $uri' vs 'nbdcopy $uri $uri'"),
                d,
                "the seed and the built-in copier's java and jar paths do not count");
    }

    private static BenchReport withDisk(
            BenchReport r, Map<String, String> disk, List<ToolInfo> tools) {
        return new BenchReport(
                r.schema(),
                r.started(),
                r.finished(),
                r.machine(),
                new java.util.TreeMap<>(disk),
                r.repeat(),
                tools,
                r.runs(),
                r.profiles());
    }

    @Test
    void failedOrMissingToolsAreNotCompared() {
        BenchReport before = report(1.0, 1.0);
        List<RunResult> runs =
                new ArrayList<>(
                        before.runs().stream().filter(r -> r.tool().equals("nbdcopy")).toList());
        runs.set(0, SampleReports.failedRun("nbdcopy", 1, 2.0, "EIO"));
        BenchReport after =
                new BenchReport(
                        BenchReport.SCHEMA,
                        Instant.EPOCH,
                        Instant.EPOCH,
                        null,
                        Map.of(),
                        5,
                        List.of(),
                        runs,
                        Map.of());
        String md = Compare.render(List.of(before, after));
        assertTrue(md.contains("failed 1/5 | — | — | not comparable |"), md);
        assertTrue(
                md.contains("| qemu-img | 4.00 s (n=5) | absent | — | — | not comparable |"), md);
        assertThrows(IllegalArgumentException.class, () -> Compare.render(List.of()));
    }
}
