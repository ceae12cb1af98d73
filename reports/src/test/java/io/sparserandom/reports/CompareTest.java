package io.sparserandom.reports;

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
        assertTrue(
                md.contains("| nbdcopy | 2.00 s (n=5) | 2.50 s (n=5) | +25.0 % | **slower** ⚠ |"),
                md);
        assertTrue(
                md.contains("| qemu-img | 4.00 s (n=5) | 4.02 s (n=5) | +0.500 % | within noise |"),
                md);

        String faster = Compare.render(List.of(after, before));
        assertTrue(faster.contains("| -20.0 % | **faster** |"), faster);
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
        assertTrue(md.contains("failed 1/5 | — | not comparable |"), md);
        assertTrue(md.contains("| qemu-img | 4.00 s (n=5) | absent | — | not comparable |"), md);
        assertThrows(IllegalArgumentException.class, () -> Compare.render(List.of()));
    }
}
