package io.sparserandom.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class RenderTest {

    @TempDir Path dir;

    @Test
    void jsonRoundTrip() throws IOException {
        BenchReport report = SampleReports.threeTools();
        ReportWriter.Written files = ReportWriter.writeAll(report, dir.resolve("out"));
        for (Path p : files.all()) {
            assertTrue(Files.size(p) > 100, p + " written");
        }
        BenchReport back = BenchReport.read(files.json());
        assertEquals(report, back);
        assertEquals(report.statistics(), back.statistics());

        String json = Files.readString(files.json());
        assertTrue(
                json.contains("\"started\" : \"2026-11-28T05:00:00Z\""), "ISO instant:\n" + json);
        assertTrue(json.contains("\"schema\" : \"sparse-random-report/2\""));
        assertTrue(json.contains("\"statistics\" : ["), "statistics included");
        assertTrue(json.contains("\"ratio\""));
        assertTrue(json.contains("\"dataBytesPerSecond\""));
        assertTrue(json.contains("\n  \""), "pretty-printed");
        assertFalse(json.contains("NaN"));
    }

    @Test
    void readRejectsAnotherSchema() throws IOException {
        Path file = dir.resolve("other.json");
        Files.writeString(file, "{\"schema\":\"something-else/9\",\"repeat\":1}");
        IOException e = assertThrows(IOException.class, () -> BenchReport.read(file));
        assertTrue(e.getMessage().contains("something-else/9"));
    }

    @Test
    void markdownHasAllTables() {
        String md = MarkdownReport.render(SampleReports.threeTools());
        for (String heading :
                List.of(
                        "## Tools",
                        "## Disk",
                        "## Machine",
                        "## Results",
                        "## Runs",
                        "## Profiles",
                        "### nbdcopy",
                        "### qemu-img")) {
            assertTrue(md.contains("\n" + heading + "\n"), heading + " in\n" + md);
        }
        assertTrue(md.contains("| nbdcopy | nbdcopy 1.14.2 | yes | nbdcopy $uri $uri |"), md);
        assertTrue(md.contains("| seed | 42 |"));
        assertTrue(
                md.contains(
                        "| Linux | 6.1.0-test | Test CPU @ 3.0GHz | 2 | 8.00 GiB | 17.0.13 (Test) |"));
        assertTrue(md.contains("| nbdcopy | pass | 5 | 0 | 2.41 s |"), md);
        assertTrue(md.contains("| qemu-img | **FAIL** | 5 | 1 | 4.17 s |"), md);
        assertTrue(md.contains("| nbdcopy | warm-up | 2.90 s |"));
        assertTrue(md.contains("**EIO at offset 1048576: data differs <expected zero>** |"));
        assertTrue(md.contains("| WRITE_ZEROES | 120 |"));
        assertTrue(md.contains("| ≤ 2.00 MiB | 80 |"), "qemu-img's largest bucket");
        assertTrue(md.contains("| Tool | Result | Runs | Failed | Median wall |"));
        // Every table row has the same number of cells as its header.
        String[] lines = md.split("\n");
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].startsWith("| ---")) {
                int columns = cells(lines[i - 1]);
                for (int j = i + 1; j < lines.length && lines[j].startsWith("|"); j++) {
                    assertEquals(columns, cells(lines[j]), lines[j]);
                }
            }
        }
    }

    private static int cells(String row) {
        return row.replace("\\|", "").split("\\|", -1).length - 2;
    }

    @Test
    void junitXmlIsWellFormedWithFailuresAndSkips() throws Exception {
        String xml = JunitReport.render(SampleReports.threeTools());
        Document doc =
                DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("3", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals("1", suite.getAttribute("skipped"));
        NodeList cases = doc.getElementsByTagName("testcase");
        assertEquals(3, cases.getLength());

        Element nbdcopy = (Element) cases.item(0);
        assertEquals("nbdcopy", nbdcopy.getAttribute("name"));
        assertEquals(0, nbdcopy.getElementsByTagName("failure").getLength());
        assertEquals(0, nbdcopy.getElementsByTagName("skipped").getLength());
        assertEquals(
                15.06, Double.parseDouble(nbdcopy.getAttribute("time")), 1e-9, "warm-up + 5 runs");

        Element qemu = (Element) cases.item(1);
        Element failure = (Element) qemu.getElementsByTagName("failure").item(0);
        assertTrue(
                failure.getAttribute("message")
                        .contains("run 3: EIO at offset 1048576: data differs <expected zero>"),
                failure.getAttribute("message"));

        Element missing = (Element) cases.item(2);
        assertEquals("<nbdkit-copy>", missing.getAttribute("name"));
        Element skipped = (Element) missing.getElementsByTagName("skipped").item(0);
        assertEquals(
                "<nbdkit-copy> is not available: not on PATH \"really\"",
                skipped.getAttribute("message"));
    }

    @Test
    void junitFailsAnAvailableToolWithoutRunsAndAFailedWarmup() throws Exception {
        BenchReport report =
                new BenchReport(
                        BenchReport.SCHEMA,
                        null,
                        null,
                        null,
                        null,
                        1,
                        List.of(ToolInfo.available("idle", "idle", null)),
                        List.of(
                                new RunResult("warm", 0, true, 1, 0, 0, 0, 0, 1, 1, 0, false, null),
                                SampleReports.run("warm", 1, 1)),
                        null);
        String xml = JunitReport.render(report);
        Document doc =
                DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        NodeList failures = doc.getElementsByTagName("failure");
        assertEquals(2, failures.getLength(), xml);
        assertTrue(
                ((Element) failures.item(0)).getAttribute("message").contains("no counted runs"));
        assertTrue(
                ((Element) failures.item(1))
                        .getAttribute("message")
                        .contains("warm-up run: not verified"));
    }

    @Test
    void htmlIsSelfContainedWithThreeKindsOfChart() throws Exception {
        String html = Html.render(SampleReports.threeTools());
        List<String> svgs = svgElements(html);
        assertEquals(4, svgs.size(), "wall time, throughput, and one histogram per profile");
        assertTrue(
                html.contains("id=\"wall-time\"")
                        && html.contains("id=\"throughput\"")
                        && html.contains("id=\"histogram-0\""));
        for (String forbidden :
                List.of(
                        "http://",
                        "https://",
                        "<script",
                        "<link",
                        "src=",
                        "url(",
                        "@import",
                        "//fonts")) {
            assertFalse(html.contains(forbidden), "external reference " + forbidden);
        }
        assertFalse(html.contains("<nbdkit-copy>"), "text is escaped");
        assertTrue(html.contains("&lt;nbdkit-copy&gt;"));
        assertTrue(html.contains("&lt;expected zero&gt;"));
        // Each chart is well-formed XML on its own; bars and labels are there.
        for (String svg : svgs) {
            Document doc =
                    DocumentBuilderFactory.newInstance()
                            .newDocumentBuilder()
                            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
            assertTrue(doc.getElementsByTagName("rect").getLength() >= 2, svg);
            assertTrue(doc.getElementsByTagName("text").getLength() >= 5, svg);
        }
        assertTrue(svgs.get(0).contains(">2.41 s</text>"), "median label on the wall-time bar");
        assertTrue(svgs.get(0).contains("class=\"dot\""), "every run drawn as a dot");
        assertTrue(svgs.get(1).contains("GiB/s</text>") || svgs.get(1).contains("MiB/s</text>"));
        assertTrue(svgs.get(2).contains(">9000</text>"), "histogram count label");
        assertEquals(html.split("<table>", -1).length - 1, html.split("</table>", -1).length - 1);
    }

    static List<String> svgElements(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<svg[\\s>].*?</svg>", Pattern.DOTALL).matcher(html);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @Test
    void htmlWithNothingToChartStillRenders() {
        BenchReport empty =
                new BenchReport(BenchReport.SCHEMA, null, null, null, null, 0, null, null, null);
        String html = Html.render(empty);
        assertEquals(2, svgElements(html).size());
        assertTrue(SvgChart.histogram("h", "none", List.of()).contains("no requests recorded"));
    }

    @Test
    void niceTicks() {
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0), box(SvgChart.niceTicks(2.52)));
        assertEquals(
                List.of(0.0, 2000.0, 4000.0, 6000.0, 8000.0, 10000.0),
                box(SvgChart.niceTicks(9000)));
        assertEquals(List.of(0.0, 1.0), box(SvgChart.niceTicks(0)));
    }

    private static List<Double> box(double[] values) {
        List<Double> out = new ArrayList<>();
        for (double v : values) {
            out.add(v);
        }
        return out;
    }
}
