package io.sparserandom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner end to end with the built-in copier and the real nbdcopy and qemu-img. */
class BenchIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(8);

    @Test
    void benchTimesRealToolsAndReportsFailuresAndMissingTools(@TempDir Path dir) throws Exception {
        Interop.requireAll("nbdcopy", "qemu-img");
        Interop.pythonNbd(); // the rusage wrapper runs on Debian's python3
        Path out = dir.resolve("report");
        Result r =
                Cli.run(
                        TIMEOUT,
                        "bench",
                        "2G",
                        "seed=5",
                        "--repeat",
                        "2",
                        "--out",
                        out.toString(),
                        "--tool",
                        "nbdcopy",
                        "--tool",
                        "qemu-img",
                        "--tool",
                        "lazy=true", // exits 0, writes nothing: verdict fails
                        "--tool",
                        "broken=nbdcopy \"$uri\" /nonexistent/dir/x", // fails by itself
                        "--tool",
                        "ghost=no-such-copy-tool \"$uri\" \"$uri\""); // not installed
        assertEquals(1, r.exit(), r.toString());
        assertTrue(
                r.stderr().contains("skipping ghost: no-such-copy-tool is not installed"),
                r.toString());
        for (String f : new String[] {"report.json", "report.md", "report.html", "junit.xml"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String json = Files.readString(out.resolve("report.json"));
        for (String tool :
                new String[] {"builtin", "nbdcopy", "qemu-img", "lazy", "broken", "ghost"}) {
            assertTrue(json.contains("\"" + tool + "\""), "report names " + tool);
        }
        String junit = Files.readString(out.resolve("junit.xml"));
        assertTrue(junit.contains("lazy") && junit.contains("<failure"), junit);
        assertTrue(junit.contains("<skipped"), "the missing tool is a skipped case: " + junit);
        // The good tools verified every run; each tool ran a warm-up and 2 counted runs.
        assertTrue(
                r.stderr()
                                .lines()
                                .filter(l -> l.contains("nbdcopy") && l.contains("verified"))
                                .count()
                        == 3,
                r.stderr());
        assertTrue(
                r.stderr()
                                .lines()
                                .filter(l -> l.contains("builtin") && l.contains("verified"))
                                .count()
                        == 3,
                r.stderr());
        assertTrue(
                r.stderr().lines().filter(l -> l.contains("lazy") && l.contains("FAILED")).count()
                        == 3,
                r.stderr());
        assertTrue(r.stdout().contains("nbdcopy"), r.stdout());
    }

    @Test
    void reportReRendersAndCompares(@TempDir Path dir) throws Exception {
        Interop.require("nbdcopy");
        Interop.pythonNbd();
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        for (Path p : new Path[] {a, b}) {
            Result r =
                    Cli.run(
                            TIMEOUT,
                            "bench",
                            "1G",
                            "seed=2",
                            "--repeat",
                            "2",
                            "--out",
                            p.toString(),
                            "--tool",
                            "nbdcopy");
            assertEquals(0, r.exit(), r.toString());
        }
        Files.delete(a.resolve("report.html"));
        Result again = Cli.run(TIMEOUT, "report", a.toString());
        assertEquals(0, again.exit(), again.toString());
        assertTrue(Files.exists(a.resolve("report.html")));
        Result cmp = Cli.run(TIMEOUT, "report", a.toString(), b.toString());
        assertEquals(0, cmp.exit(), cmp.toString());
        assertTrue(cmp.stdout().contains("nbdcopy"), cmp.stdout());
    }
}
