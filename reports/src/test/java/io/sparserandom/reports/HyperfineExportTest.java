package io.sparserandom.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export against hyperfine's own result type (src/benchmark/benchmark_result.rs in
 * sharkdp/hyperfine: command, mean, stddev as Option, median, user, system, min, max, times,
 * memory_usage_byte, exit_codes, parameters as a string map; all under "results").
 */
class HyperfineExportTest {

    @Test
    void sampleReportHasHyperfinesFieldsAndOnlyGoodRuns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hyperfine.json");
        HyperfineExport.write(SampleReports.threeTools(), file);
        JsonNode root = Json.MAPPER.readTree(file.toFile());
        assertEquals(List.of("results"), names(root));
        JsonNode nbdcopy = root.get("results").get(0);
        assertEquals(
                List.of(
                        "command",
                        "mean",
                        "stddev",
                        "median",
                        "user",
                        "system",
                        "min",
                        "max",
                        "times",
                        "memory_usage_byte",
                        "exit_codes"),
                names(nbdcopy),
                "no parameters without a sweep (hyperfine skips an empty map)");
        assertEquals("nbdcopy $uri $uri", nbdcopy.get("command").asText());
        assertEquals(5, nbdcopy.get("times").size(), "warm-up not exported");
        assertEquals(2.41, nbdcopy.get("median").asDouble(), 1e-12);
        assertEquals(2.432, nbdcopy.get("mean").asDouble(), 1e-12);
        assertEquals(2.38, nbdcopy.get("min").asDouble(), 0);
        // SampleReports.run: user = 0.3 · wall, so the mean user time is 0.3 · 2.432.
        assertEquals(0.7296, nbdcopy.get("user").asDouble(), 1e-12);
        assertEquals(64L << 20, nbdcopy.get("memory_usage_byte").get(0).asLong());
        JsonNode qemu = root.get("results").get(1);
        assertEquals(4, qemu.get("times").size(), "the run that failed verification is left out");
        assertTrue(qemu.get("exit_codes").toString().equals("[0,0,0,0]"), qemu.toString());
        assertEquals(2, root.get("results").size(), "the tool that is not installed has none");
    }

    @Test
    void sweepPointsCarryParametersAndTheirCommand() {
        List<RunResult> runs = new ArrayList<>();
        runs.add(
                StatisticsTest.withParams(
                        SampleReports.run("nbdcopy", 1, 2.0), Map.of("rs", "1M")));
        BenchReport r =
                new BenchReport(
                        BenchReport.SCHEMA,
                        Instant.EPOCH,
                        Instant.EPOCH,
                        null,
                        Map.of(),
                        1,
                        List.of(
                                ToolInfo.available(
                                        "nbdcopy",
                                        "nbdcopy --request-size={rs} \"$uri\" \"$uri\"",
                                        "1")),
                        runs,
                        Map.of(),
                        List.of(),
                        Map.of("rs", List.of("1M")),
                        null);
        JsonNode result = Json.MAPPER.valueToTree(HyperfineExport.render(r)).get("results").get(0);
        assertEquals("nbdcopy --request-size=1M \"$uri\" \"$uri\"", result.get("command").asText());
        assertTrue(result.get("stddev").isNull(), "one run: no standard deviation");
        assertEquals("1M", result.get("parameters").get("rs").asText());
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
