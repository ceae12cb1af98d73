package io.sparserandom.gate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A gate run rendered for people (the table on stdout, Markdown) and for programs (JSON, JUnit XML
 * with one test case per scenario).
 *
 * @param command the tool's command
 * @param disk the disk parameters
 * @param results one per scenario, in run order
 */
public record GateReport(String command, String disk, List<ScenarioResult> results) {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public boolean passed() {
        return results.stream().allMatch(ScenarioResult::passed);
    }

    public long failures() {
        return results.stream().filter(r -> !r.passed()).count();
    }

    /** The table printed on stdout, then one summary line. */
    public String table() {
        int w = "scenario".length();
        for (ScenarioResult r : results) {
            w = Math.max(w, r.scenario().name().length());
        }
        StringBuilder sb = new StringBuilder();
        String row = "%-" + w + "s  %-7s  %-13s  %4s  %7s  %s%n";
        sb.append(
                String.format(
                        Locale.ROOT,
                        row,
                        "scenario",
                        "class",
                        "outcome",
                        "tool",
                        "seconds",
                        "why"));
        for (ScenarioResult r : results) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            row,
                            r.scenario().name(),
                            r.scenario().kind().label(),
                            r.outcome().label(),
                            r.facts() == null ? "-" : Integer.toString(r.facts().toolStatus()),
                            String.format(Locale.ROOT, "%.1f", r.seconds()),
                            r.judgement().why()));
        }
        sb.append(summaryLine()).append('\n');
        return sb.toString();
    }

    /**
     * "gate: PASS, 18 scenario(s)" or "gate: FAIL, 2 of 18 scenario(s) failed (1 silent-loss...)".
     */
    public String summaryLine() {
        if (passed()) {
            return "gate: PASS, " + results.size() + " scenario(s) passed";
        }
        StringBuilder sb =
                new StringBuilder("gate: FAIL, ")
                        .append(failures())
                        .append(" of ")
                        .append(results.size())
                        .append(" scenario(s) failed:");
        for (Outcome o : Outcome.values()) {
            long n = results.stream().filter(r -> r.outcome() == o).count();
            if (!o.passed() && n > 0) {
                sb.append(' ').append(n).append(' ').append(o.label());
            }
        }
        if (results.stream().anyMatch(r -> r.outcome() == Outcome.SILENT_LOSS)) {
            sb.append(" -- SILENT DATA LOSS: the tool reported success for a wrong copy");
        }
        return sb.toString();
    }

    public String json() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("command", command);
        root.put("disk", disk);
        root.put("passed", passed());
        ArrayNode list = root.putArray("scenarios");
        for (ScenarioResult r : results) {
            ObjectNode n = list.addObject();
            n.put("name", r.scenario().name());
            n.put("class", r.scenario().kind().label());
            n.put("options", r.scenario().options());
            n.put("outcome", r.outcome().label());
            n.put("passed", r.passed());
            n.put("why", r.judgement().why());
            n.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
            VerdictFacts f = r.facts();
            if (f == null) {
                n.putNull("tool_exit_status");
                continue;
            }
            n.put("tool_exit_status", f.toolStatus());
            n.put("complete", f.complete());
            n.put("data_bytes_missing", f.missingBytes());
            n.put("rejected_count", f.rejected());
            if (f.firstRejected() >= 0) {
                n.put("first_rejected_offset", f.firstRejected());
            }
            if (f.durable() != null) {
                n.put("durable", f.durable());
            }
            if (f.undurableBytes() != null) {
                n.put("undurable_bytes", f.undurableBytes());
            }
            if (f.injectedErrors() != null) {
                n.put("injected_errors", f.injectedErrors());
            }
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# gate: ").append(passed() ? "PASS" : "FAIL").append("\n\n");
        sb.append("Command: `").append(command).append("`  \nDisk: `").append(disk).append("`\n\n");
        sb.append("| scenario | class | options | outcome | tool | seconds | why |\n");
        sb.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (ScenarioResult r : results) {
            sb.append("| ")
                    .append(r.scenario().name())
                    .append(" | ")
                    .append(r.scenario().kind().label())
                    .append(" | ")
                    .append(
                            r.scenario().options().isEmpty()
                                    ? ""
                                    : "`" + cell(r.scenario().options()) + "`")
                    .append(" | ")
                    .append(r.passed() ? r.outcome().label() : "**" + r.outcome().label() + "**")
                    .append(" | ")
                    .append(r.facts() == null ? "-" : r.facts().toolStatus())
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f", r.seconds()))
                    .append(" | ")
                    .append(cell(r.judgement().why()))
                    .append(" |\n");
        }
        sb.append('\n').append(summaryLine()).append('\n');
        return sb.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    public String junit() {
        Document doc;
        try {
            doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        Element suites = doc.createElement("testsuites");
        doc.appendChild(suites);
        Element suite = doc.createElement("testsuite");
        suites.appendChild(suite);
        suite.setAttribute("name", "sparse-random.gate");
        suite.setAttribute("tests", Integer.toString(results.size()));
        suite.setAttribute("failures", Long.toString(failures()));
        double total = 0;
        for (ScenarioResult r : results) {
            total += r.seconds();
            Element tc = doc.createElement("testcase");
            tc.setAttribute("classname", "gate." + r.scenario().kind().label());
            tc.setAttribute("name", r.scenario().name());
            tc.setAttribute("time", String.format(Locale.ROOT, "%.3f", r.seconds()));
            Element out = doc.createElement("system-out");
            out.setTextContent(
                    "options: "
                            + r.scenario().options()
                            + "\noutcome: "
                            + r.outcome().label()
                            + "\n"
                            + r.judgement().why());
            if (!r.passed()) {
                Element failure = doc.createElement("failure");
                failure.setAttribute("type", r.outcome().label());
                failure.setAttribute("message", r.outcome().label() + ": " + r.judgement().why());
                tc.appendChild(failure);
            }
            tc.appendChild(out);
            suite.appendChild(tc);
        }
        suite.setAttribute("time", String.format(Locale.ROOT, "%.3f", total));
        try {
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }
}
