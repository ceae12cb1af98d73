package io.sparserandom.reports;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
 * junit.xml for CI: one test case per tool. A case passes when every run of the tool, the warm-up
 * included (a warm-up that corrupted the copy is still a bug), exited 0 and verified; it fails
 * naming the first failed run and why, with every failed run in the body; a tool that is not
 * installed is skipped with the reason. Built with the JDK's DOM so escaping is always right.
 */
public final class JunitReport {

    static final String SUITE = "sparse-random.copy";

    private JunitReport() {}

    public static String render(BenchReport report) {
        Document doc;
        try {
            doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        Set<String> names = new LinkedHashSet<>();
        report.tools().forEach(t -> names.add(t.name()));
        report.runs().forEach(r -> names.add(r.tool()));

        Element suites = doc.createElement("testsuites");
        doc.appendChild(suites);
        Element suite = doc.createElement("testsuite");
        suites.appendChild(suite);
        suite.setAttribute("name", SUITE);
        if (report.started() != null) {
            suite.setAttribute("timestamp", report.started().toString());
        }
        int failures = 0;
        int skipped = 0;
        double total = 0;
        for (String name : names) {
            ToolInfo info =
                    report.tools().stream()
                            .filter(t -> t.name().equals(name))
                            .findFirst()
                            .orElse(null);
            List<RunResult> runs =
                    report.runs().stream().filter(r -> r.tool().equals(name)).toList();
            double time = runs.stream().mapToDouble(RunResult::wallSeconds).sum();
            total += time;
            Element testcase = doc.createElement("testcase");
            suite.appendChild(testcase);
            testcase.setAttribute("classname", SUITE);
            testcase.setAttribute("name", name);
            testcase.setAttribute("time", String.format(Locale.ROOT, "%.3f", time));
            if (info != null && !info.available() && runs.isEmpty()) {
                Element skip = doc.createElement("skipped");
                skip.setAttribute(
                        "message",
                        name
                                + " is not available: "
                                + (info.unavailableReason() == null
                                        ? "not installed"
                                        : info.unavailableReason()));
                testcase.appendChild(skip);
                skipped++;
                continue;
            }
            List<String> problems = new ArrayList<>();
            for (RunResult r : runs) {
                if (!r.succeeded()) {
                    problems.add(
                            (r.warmup() ? "warm-up run" : "run " + r.run())
                                    + (r.parameters().isEmpty()
                                            ? ""
                                            : " at " + ToolStats.label("", r.parameters()).strip())
                                    + ": "
                                    + r.failureReason());
                }
            }
            if (runs.stream().noneMatch(r -> !r.warmup())) {
                problems.add("no counted runs recorded");
            }
            if (!problems.isEmpty()) {
                Element failure = doc.createElement("failure");
                failure.setAttribute("type", "CopyFailed");
                failure.setAttribute(
                        "message",
                        name
                                + " failed "
                                + problems.size()
                                + " time(s); first: "
                                + problems.get(0));
                failure.setTextContent(String.join("\n", problems));
                testcase.appendChild(failure);
                failures++;
            }
        }
        for (Element e : List.of(suites, suite)) {
            e.setAttribute("tests", String.valueOf(names.size()));
            e.setAttribute("failures", String.valueOf(failures));
            e.setAttribute("errors", "0");
            e.setAttribute("time", String.format(Locale.ROOT, "%.3f", total));
        }
        suite.setAttribute("skipped", String.valueOf(skipped));
        return serialise(doc);
    }

    private static String serialise(Document doc) {
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException(new IOException("cannot write JUnit XML", e));
        }
    }
}
