package io.sparserandom.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparserandom.gate.Scenario.Kind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class GateReportTest {
    private static ScenarioResult result(String name, Kind kind, VerdictFacts f) {
        Scenario s = new Scenario(name, "--x 'a|b'", kind, "test");
        return new ScenarioResult(s, Judgement.of(kind, f, false), f, 1.25);
    }

    private static final VerdictFacts OK =
            new VerdictFacts(0, true, 0, 0, -1, 0, -1, null, null, null, null);
    private static final VerdictFacts LOST =
            new VerdictFacts(0, false, 4096, 1, 0x2000, 0, -1, null, null, null, null);

    private final GateReport report =
            new GateReport(
                    "tool \"$uri\"",
                    "8G seed=1",
                    List.of(
                            result("good", Kind.BENIGN, OK),
                            result("bad", Kind.HOSTILE, LOST),
                            new ScenarioResult(
                                    new Scenario("slow", "", Kind.BENIGN, "t"),
                                    Judgement.hung(5),
                                    null,
                                    5)));

    @Test
    void tableHasOneRowPerScenarioAndNamesTheSilentLoss() {
        String t = report.table();
        assertEquals(5, t.lines().count(), t);
        assertTrue(t.contains("silent-loss"), t);
        assertTrue(t.lines().anyMatch(l -> l.startsWith("slow") && l.contains("hung")), t);
        assertFalse(report.passed());
        assertTrue(report.summaryLine().contains("2 of 3"), report.summaryLine());
        assertTrue(report.summaryLine().contains("SILENT DATA LOSS"), report.summaryLine());
    }

    @Test
    void junitHasOneCasePerScenarioAndFailsTheFailures() throws Exception {
        Document doc =
                DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(
                                new ByteArrayInputStream(
                                        report.junit().getBytes(StandardCharsets.UTF_8)));
        NodeList cases = doc.getElementsByTagName("testcase");
        assertEquals(3, cases.getLength());
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("2", suite.getAttribute("failures"));
        Element bad = (Element) cases.item(1);
        assertEquals("bad", bad.getAttribute("name"));
        Element failure = (Element) bad.getElementsByTagName("failure").item(0);
        assertEquals("silent-loss", failure.getAttribute("type"));
        assertEquals(0, ((Element) cases.item(0)).getElementsByTagName("failure").getLength());
    }

    @Test
    void jsonAndMarkdown() throws Exception {
        JsonNode j = new ObjectMapper().readTree(report.json());
        assertFalse(j.get("passed").asBoolean());
        assertEquals(3, j.get("scenarios").size());
        assertEquals("silent-loss", j.get("scenarios").get(1).get("outcome").asText());
        assertEquals(4096, j.get("scenarios").get(1).get("data_bytes_missing").asLong());
        assertTrue(j.get("scenarios").get(2).get("tool_exit_status").isNull());
        String md = report.markdown();
        assertTrue(md.contains("| bad | hostile | `--x 'a\\|b'` | **silent-loss** |"), md);
    }
}
