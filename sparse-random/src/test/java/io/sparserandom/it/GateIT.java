package io.sparserandom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate end to end: deliberately broken copiers (python3 libnbd, in test resources), each caught
 * by the scenario named in the test, and the real nbdcopy and qemu-img through a few scenarios on a
 * small disk.
 */
class GateIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final String[] DISK = {"1G", "seed=11", "runlength=1M"};

    /** Runs the gate; returns its result and the outcome of each scenario from --json. */
    private static Map<String, JsonNode> gate(Path dir, Result[] result, String... args)
            throws Exception {
        Path json = dir.resolve("gate.json");
        List<String> all = new ArrayList<>(List.of("gate", "--json", json.toString()));
        all.addAll(List.of(DISK));
        all.addAll(List.of(args));
        result[0] = Cli.run(TIMEOUT, all.toArray(String[]::new));
        assertTrue(Files.isRegularFile(json), result[0].toString());
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode n : new ObjectMapper().readTree(Files.readString(json)).get("scenarios")) {
            byName.put(n.get("name").asText(), n);
        }
        return byName;
    }

    private static String copier(Path dir, String mode) throws Exception {
        Path python = Interop.pythonNbd();
        if (!Files.exists(dir.resolve("copier.py"))) {
            Cli.script("copier.py", dir);
            Cli.script("gate_copiers.py", dir);
        }
        Path script = dir.resolve("gate_copiers.py");
        return python + " " + script + " " + mode;
    }

    private static String outcome(Map<String, JsonNode> r, String scenario) {
        return r.get(scenario).get("outcome").asText();
    }

    @Test
    void aCopierThatSkipsFailedReadsIsSilentLossUnderReadEio(@TempDir Path dir) throws Exception {
        Result[] r = new Result[1];
        Map<String, JsonNode> res =
                gate(dir, r, "--scenario", "read-eio,baseline", copier(dir, "skip-failed"));
        assertEquals(1, r[0].exit(), r[0].toString());
        assertEquals("pass", outcome(res, "baseline"), r[0].toString());
        assertEquals("silent-loss", outcome(res, "read-eio"), r[0].toString());
        assertTrue(res.get("read-eio").get("data_bytes_missing").asLong() > 0);
        assertTrue(r[0].stdout().contains("SILENT DATA LOSS"), r[0].toString());
    }

    @Test
    void aCopierThatNeverFlushesIsNotDurable(@TempDir Path dir) throws Exception {
        Result[] r = new Result[1];
        Map<String, JsonNode> res =
                gate(
                        dir,
                        r,
                        "--require-durable",
                        "--scenario",
                        "baseline",
                        copier(dir, "no-flush"));
        assertEquals(1, r[0].exit(), r[0].toString());
        assertEquals("not-durable", outcome(res, "baseline"), r[0].toString());
        // The control: the same copy with a flush at the end is durable.
        res = gate(dir, r, "--require-durable", "--scenario", "baseline", copier(dir, "flush"));
        assertEquals(0, r[0].exit(), r[0].toString());
        assertEquals("pass", outcome(res, "baseline"), r[0].toString());
    }

    @Test
    void flushingOneConnectionOfFourIsNotDurableWithoutMultiConn(@TempDir Path dir)
            throws Exception {
        Result[] r = new Result[1];
        Map<String, JsonNode> res =
                gate(
                        dir,
                        r,
                        "--require-durable",
                        "--scenario",
                        "baseline,no-multi-conn",
                        copier(dir, "flush-one-of-four"));
        assertEquals(1, r[0].exit(), r[0].toString());
        // With multi-conn one flush covers every connection's writes; without it, it does not.
        assertEquals("pass", outcome(res, "baseline"), r[0].toString());
        assertEquals("not-durable", outcome(res, "no-multi-conn"), r[0].toString());
    }

    @Test
    void thirtyTwoMibRequestsBreakUnderMaxBlock64k(@TempDir Path dir) throws Exception {
        Result[] r = new Result[1];
        Map<String, JsonNode> res =
                gate(dir, r, "--scenario", "baseline,max-block-64k", copier(dir, "big-requests"));
        assertEquals(1, r[0].exit(), r[0].toString());
        assertEquals("pass", outcome(res, "baseline"), r[0].toString());
        String o = outcome(res, "max-block-64k");
        assertTrue(o.equals("broke") || o.equals("silent-loss"), r[0].toString());
        assertFalse(res.get("max-block-64k").get("passed").asBoolean());
    }

    @Test
    void nbdcopyThroughABoundedGate(@TempDir Path dir) throws Exception {
        Interop.require("nbdcopy");
        realTool(dir, "nbdcopy \"$uri\" \"$uri\"");
    }

    @Test
    void qemuImgThroughABoundedGate(@TempDir Path dir) throws Exception {
        Interop.require("qemu-img");
        realTool(dir, "qemu-img convert -n -f raw -O raw \"$uri\" \"$uri\"");
    }

    /**
     * Benign scenarios must pass; under hostile ones a real tool must not lose data silently
     * (failing loudly or retrying to a complete copy are both fine).
     */
    private static void realTool(Path dir, String command) throws Exception {
        Result[] r = new Result[1];
        Path junit = dir.resolve("junit.xml");
        Map<String, JsonNode> res =
                gate(
                        dir,
                        r,
                        "--junit",
                        junit.toString(),
                        "--scenario",
                        "baseline,tcp,no-extents,write-eio,corrupt-reads",
                        command);
        assertEquals(5, res.size(), r[0].toString());
        for (String benign : List.of("baseline", "tcp", "no-extents")) {
            assertEquals("pass", outcome(res, benign), r[0].toString());
        }
        for (String hostile : List.of("write-eio", "corrupt-reads")) {
            assertTrue(res.get(hostile).get("passed").asBoolean(), r[0].toString());
        }
        assertEquals(0, r[0].exit(), r[0].toString());
        String xml = Files.readString(junit);
        assertEquals(5, xml.split("<testcase ", -1).length - 1, xml);
    }

    @Test
    void aToolPastTheTimeoutIsHungAndKilledWithItsChildren(@TempDir Path dir) throws Exception {
        Result[] r = new Result[1];
        // A marker no other process has, to look for survivors.
        String marker = "4711" + ProcessHandle.current().pid();
        Map<String, JsonNode> res =
                gate(
                        dir,
                        r,
                        "--timeout",
                        "3",
                        "--scenario",
                        "baseline",
                        "sleep " + marker + " & sleep " + marker + "; wait");
        assertEquals(1, r[0].exit(), r[0].toString());
        assertEquals("hung", outcome(res, "baseline"), r[0].toString());
        Thread.sleep(500);
        assertFalse(
                ProcessHandle.allProcesses()
                        .anyMatch(
                                p ->
                                        p.info()
                                                .commandLine()
                                                .map(c -> c.contains("sleep " + marker))
                                                .orElse(false)),
                "a tool's process survived the gate's timeout");
    }
}
