package io.sparserandom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verdict at scale, end to end: a disk of two million data runs (4 KiB data and 4 KiB holes,
 * alternating) copied by the real nbdcopy verifies complete; a copier that skips one run in 100,000
 * is reported with exactly the runs it skipped.
 */
class LedgerScaleIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    private static final String[] DISK = {"16G", "seed=1", "runlength=4096", "percent=50"};

    @Test
    void nbdcopyOfTwoMillionRunsVerifiesComplete(@TempDir Path dir) throws Exception {
        Interop.require("nbdcopy");
        Path verdict = dir.resolve("v.json");
        Result r =
                Cli.run(
                        TIMEOUT,
                        concat(
                                DISK,
                                "--check-complete",
                                "--verdict",
                                verdict.toString(),
                                "--run",
                                "nbdcopy \"$uri\" \"$uri\""));
        assertEquals(0, r.exit(), r.toString());
        String json = Files.readString(verdict);
        assertTrue(json.contains("\"complete\": true"), json);
        assertTrue(json.contains("\"data_bytes_verified\": 8589934592"), json);
        assertTrue(json.contains("\"ledger_overflowed\": false"), json);
    }

    @Test
    void aCopierThatSkipsOneRunIn100000IsReportedExactly(@TempDir Path dir) throws Exception {
        Path verdict = dir.resolve("v.json");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String copier =
                "'"
                        + java
                        + "' -cp '"
                        + System.getProperty("java.class.path")
                        + "' "
                        + SkippingCopier.class.getName()
                        + " \"$uri\" 100000 4321";
        Result r =
                Cli.run(
                        TIMEOUT,
                        concat(
                                DISK,
                                "--check-complete",
                                "--verdict",
                                verdict.toString(),
                                "--run",
                                copier));
        assertEquals(4, r.exit(), r.toString());
        Matcher runs = Pattern.compile("RUNS=(\\d+)").matcher(r.stdout());
        assertTrue(runs.find(), r.toString());
        assertTrue(
                Long.parseLong(runs.group(1)) > 2_000_000,
                "more than two million data runs: " + runs.group(1));
        List<long[]> skipped = new ArrayList<>();
        long bytes = 0;
        Matcher m = Pattern.compile("SKIPPED=(\\d+)\\+(\\d+)").matcher(r.stdout());
        while (m.find()) {
            skipped.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
            bytes += Long.parseLong(m.group(2));
        }
        assertEquals(
                Long.parseLong(runs.group(1)) / 100_000
                        + (Long.parseLong(runs.group(1)) % 100_000 > 4321 ? 1 : 0),
                skipped.size(),
                r.stdout());
        String json = Files.readString(verdict);
        assertTrue(json.contains("\"complete\": false"), json);
        assertTrue(json.contains("\"missing_exact\": true"), json);
        assertTrue(json.contains("\"data_bytes_missing\": " + bytes + ","), json);
        assertTrue(json.contains("\"missing_ranges_count\": " + skipped.size() + ","), json);
        StringBuilder first = new StringBuilder("\"missing_ranges\": [");
        for (int i = 0; i < Math.min(10, skipped.size()); i++) {
            first.append(i == 0 ? "" : ", ")
                    .append("{\"offset\": ")
                    .append(skipped.get(i)[0])
                    .append(", \"length\": ")
                    .append(skipped.get(i)[1])
                    .append('}');
        }
        assertTrue(json.contains(first + "]"), "expected " + first + "] in " + json);
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
