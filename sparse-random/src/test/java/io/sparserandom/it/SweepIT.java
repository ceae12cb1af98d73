package io.sparserandom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs.Result;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep with the real nbdcopy, its hyperfine export, and report refusing to compare two reports
 * of different disks.
 */
class SweepIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(8);

    @Test
    void sweepOverADiskParameterExportsAndRefusesUnlikeComparisons(@TempDir Path dir)
            throws Exception {
        Interop.require("nbdcopy");
        Interop.pythonNbd();
        Path a = dir.resolve("a");
        Path hf = dir.resolve("hyperfine.json");
        Result r =
                Cli.run(
                        TIMEOUT,
                        "bench",
                        "256M",
                        "percent={p}",
                        "--param",
                        "p=5,20",
                        "--tool",
                        "nbdcopy=nbdcopy --request-size={rs} \"$uri\" \"$uri\"",
                        "--param=rs=65536,1048576",
                        "--repeat",
                        "1",
                        "--out",
                        a.toString(),
                        "--export-hyperfine",
                        hf.toString());
        assertEquals(0, r.exit(), r.toString());
        JsonNode results = new ObjectMapper().readTree(hf.toFile()).get("results");
        // builtin and nbdcopy at 4 points each.
        assertEquals(8, results.size(), results.toString());
        boolean found = false;
        for (JsonNode res : results) {
            if (res.get("command").asText().startsWith("nbdcopy --request-size=65536 ")
                    && res.get("parameters").get("p").asText().equals("20")) {
                found = true;
                assertEquals(1, res.get("times").size());
                assertTrue(res.get("median").asDouble() > 0);
            }
        }
        assertTrue(found, results.toString());
        assertTrue(r.stdout().contains(" p ") && r.stdout().contains(" rs "), r.stdout());

        Path b = dir.resolve("b");
        Result other =
                Cli.run(
                        TIMEOUT,
                        "bench",
                        "128M",
                        "--tool",
                        "nbdcopy",
                        "--repeat",
                        "1",
                        "--out",
                        b.toString());
        assertEquals(0, other.exit(), other.toString());
        Result refused = Cli.run(TIMEOUT, "report", b.toString(), a.toString());
        assertEquals(2, refused.exit(), refused.toString());
        assertTrue(refused.stderr().contains("disk size 268435456 vs 134217728"), refused.stderr());
        assertTrue(refused.stderr().contains("disk percent 5,20 vs 10"), refused.stderr());
        Result forced = Cli.run(TIMEOUT, "report", "--force", b.toString(), a.toString());
        assertEquals(0, forced.exit(), forced.toString());
        assertTrue(forced.stdout().contains("Mann–Whitney p"), forced.stdout());
    }
}
