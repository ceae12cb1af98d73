package io.sparserandom.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineAndEdgeTest {

    @Test
    void detectDescribesThisMachine() {
        Machine m = Machine.detect();
        assertNotNull(m.os());
        assertNotNull(m.kernel());
        assertNotNull(m.cpu());
        assertTrue(m.cores() >= 1);
        assertTrue(m.java().startsWith(System.getProperty("java.version")));
        if (Files.isReadable(Path.of("/proc/meminfo"))) {
            assertTrue(
                    m.memoryBytes() > 64L << 20,
                    "MemTotal read from /proc/meminfo: " + m.memoryBytes());
            assertEquals(System.getProperty("os.name"), m.os());
        }
    }

    @Test
    void procFieldParsesKeyValueLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cpuinfo");
        Files.writeString(
                file, "processor\t: 0\nmodel name\t: Some CPU @ 2.00GHz\nmodel name\t: second\n");
        assertEquals("Some CPU @ 2.00GHz", Machine.procField(file, "model name"));
        assertEquals(null, Machine.procField(file, "flags"));
        assertEquals(null, Machine.procField(dir.resolve("missing"), "model name"));
    }

    @Test
    void tooFewRunsSurviveJson(@TempDir Path dir) throws Exception {
        // The fastest tool's two runs are far apart: once an infinite ratio bound, now none.
        List<RunResult> runs =
                List.of(
                        SampleReports.run("fast", 1, 0.1),
                        SampleReports.run("fast", 2, 3.0),
                        SampleReports.run("slow", 1, 4.0),
                        SampleReports.run("slow", 2, 4.2));
        BenchReport report =
                new BenchReport(
                        BenchReport.SCHEMA,
                        Instant.EPOCH,
                        Instant.EPOCH,
                        Machine.detect(),
                        Map.of(),
                        2,
                        List.of(),
                        runs,
                        Map.of());
        assertFalse(report.statistics().get(1).ratio().hasInterval());
        Path file = dir.resolve("r.json");
        report.write(file);
        String json = Files.readString(file);
        assertFalse(json.contains("Infinity"), json);
        assertTrue(json.contains("\"low\" : null"), json);
        assertEquals(report, BenchReport.read(file));
        assertTrue(MarkdownReport.render(report).contains("(too few runs)"));
    }
}
