package io.sparserandom.reports;

import java.util.ArrayList;
import java.util.List;

/**
 * report.html: one self-contained page (inline CSS, inline SVG, no scripts, nothing fetched) with
 * the charts first and the same tables as report.md after them.
 */
public final class Html {

    private static final String CSS =
            """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px;color:#1b1f24;background:#fff}
      h1{font-size:24px}h2{font-size:19px;margin-top:28px;border-bottom:1px solid #d0d7de}h3{font-size:16px}
      table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}
      th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
      th{background:#f3f5f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
      .fail{color:#b42318;font-weight:bold}.ok{color:#1a7f37}
      svg.chart{display:block;margin:8px 0 20px;background:#fcfcfd;border:1px solid #e3e6ea}
      svg .title{font-size:16px;font-weight:bold;fill:#1b1f24}
      svg .label{font-size:14px;fill:#1b1f24}svg .value{font-size:13px;fill:#1b1f24}
      svg .small{font-size:11px}svg .tick{font-size:11px;fill:#57606a}svg .axis{font-size:12px;fill:#57606a}
      svg .vertical{writing-mode:vertical-rl}
      svg .grid{stroke:#e3e6ea;stroke-width:1}svg .axisline{stroke:#57606a;stroke-width:1}
      svg .bar{fill:#3b6fd8}svg .bar.failed{fill:#d9534f}
      svg .whisker{stroke:#111;stroke-width:2;fill:none}
      svg .band{opacity:.18;stroke:none}svg .line{fill:none;stroke-width:2.5}
      svg .dot{opacity:.85}svg .dot.outlier{fill:none;stroke:#d9534f;stroke-width:2;opacity:1}
      .warn{color:#9a6700}
      """;

    private Html() {}

    /** Escapes text for HTML element content and attribute values (also inside inline SVG). */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // Control characters are not allowed in HTML text; show them as a replacement
                    // character.
                    out.append(c < 0x20 && c != '\n' && c != '\t' ? '\uFFFD' : c);
                }
            }
        }
        return out.toString();
    }

    public static String render(BenchReport report) {
        List<ToolStats> stats = report.statistics();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>sparse-random benchmark</title><style>")
                .append(CSS)
                .append("</style></head><body>\n");
        h.append("<h1>sparse-random benchmark</h1>\n<p>Started ")
                .append(escape(String.valueOf(report.started())))
                .append(", finished ")
                .append(escape(String.valueOf(report.finished())))
                .append("; ")
                .append(report.repeat())
                .append(" counted run(s) per tool after one warm-up, tools interleaved. ")
                .append("Disk: ")
                .append(escape(diskLine(report)))
                .append(".</p>\n");
        for (String note : report.notes()) {
            h.append("<p>Note: ").append(escape(note)).append("</p>\n");
        }

        List<SvgChart.Bar> wall = new ArrayList<>();
        List<SvgChart.Bar> rate = new ArrayList<>();
        for (ToolStats s : stats) {
            if (s.wall() != null) {
                wall.add(
                        new SvgChart.Bar(
                                s.label(),
                                s.wall().median(),
                                s.wall().hasInterval() ? s.wall().medianLow() : Double.NaN,
                                s.wall().hasInterval() ? s.wall().medianHigh() : Double.NaN,
                                !s.passed(),
                                SweepCharts.dots(report, stats, s, false)));
                rate.add(
                        new SvgChart.Bar(
                                s.label(),
                                s.dataBytesPerSecond().median(),
                                s.dataBytesPerSecond().hasInterval()
                                        ? s.dataBytesPerSecond().medianLow()
                                        : Double.NaN,
                                s.dataBytesPerSecond().hasInterval()
                                        ? s.dataBytesPerSecond().medianHigh()
                                        : Double.NaN,
                                !s.passed(),
                                SweepCharts.dots(report, stats, s, true)));
            }
        }
        h.append("<h2>Charts</h2>\n")
                .append(
                        "<p>Bars: medians. Whiskers and bands: 95 % intervals of the median (none"
                                + " with fewer than ")
                .append(MedianInterval.MIN_VALUES)
                .append(" runs). Dots: every counted run; red rings: outliers.</p>\n");
        h.append(
                SvgChart.bars(
                        "wall-time",
                        "Median wall time — shorter is better",
                        "seconds",
                        wall,
                        Format::seconds));
        h.append(
                SvgChart.bars(
                        "throughput",
                        "Median data throughput — longer is better",
                        "data bytes per second",
                        rate,
                        Format::rate,
                        SvgChart.binaryUnit(
                                rate.stream().mapToDouble(SvgChart.Bar::value).max().orElse(1))));
        h.append(SweepCharts.render(report, stats));
        int i = 0;
        for (ToolProfile p : report.profiles().values()) {
            h.append(
                    SvgChart.histogram(
                            "histogram-" + i++, "Request sizes: " + p.tool(), p.requestSizes()));
        }

        h.append("<h2>Results</h2>\n<p>").append(escape(Cells.METHOD)).append("</p>\n<table><tr>");
        for (String c : Cells.header(report)) {
            h.append("<th>").append(escape(c)).append("</th>");
        }
        h.append("</tr>\n");
        int result = 1 + report.parameters().size();
        for (ToolStats s : stats) {
            List<String> row = Cells.row(report, s);
            h.append("<tr>");
            for (int c = 0; c < row.size(); c++) {
                if (c == result) {
                    h.append(
                            s.passed()
                                    ? "<td class=\"ok\">pass</td>"
                                    : "<td class=\"fail\">FAIL</td>");
                } else if (c < result) {
                    h.append("<td>").append(escape(row.get(c))).append("</td>");
                } else {
                    h.append(num(row.get(c)));
                }
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        for (String w : Cells.warnings(stats)) {
            h.append("<p class=\"warn\">Warning: ").append(escape(w)).append("</p>\n");
        }

        h.append(
                "<h2>Tools</h2>\n<table><tr><th>Tool</th><th>Version</th><th>Available</th><th>Command</th></tr>\n");
        for (ToolInfo t : report.tools()) {
            h.append("<tr><td>")
                    .append(escape(t.name()))
                    .append("</td><td>")
                    .append(escape(dash(t.version())))
                    .append("</td><td>")
                    .append(
                            t.available()
                                    ? "yes"
                                    : "<span class=\"fail\">no</span>: "
                                            + escape(dash(t.unavailableReason())))
                    .append("</td><td><code>")
                    .append(escape(dash(t.command())))
                    .append("</code></td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>Disk</h2>\n<table><tr><th>Parameter</th><th>Value</th></tr>\n");
        report.disk()
                .forEach(
                        (k, v) ->
                                h.append("<tr><td>")
                                        .append(escape(k))
                                        .append("</td><td>")
                                        .append(escape(v))
                                        .append("</td></tr>\n"));
        h.append("</table>\n");

        Machine m = report.machine();
        if (m != null) {
            h.append(
                            "<h2>Machine</h2>\n<table><tr><th>OS</th><th>Kernel</th><th>CPU</th><th>Cores</th>")
                    .append("<th>Memory</th><th>Java</th></tr>\n<tr><td>")
                    .append(escape(m.os()))
                    .append("</td><td>")
                    .append(escape(m.kernel()))
                    .append("</td><td>")
                    .append(escape(m.cpu()))
                    .append("</td>")
                    .append(num(String.valueOf(m.cores())))
                    .append(num(Format.bytes(m.memoryBytes())))
                    .append("<td>")
                    .append(escape(m.java()))
                    .append("</td></tr>\n</table>\n");
        }

        h.append("<h2>Runs</h2>\n<table><tr><th>Tool</th>");
        for (String p : report.parameters().keySet()) {
            h.append("<th>").append(escape(p)).append("</th>");
        }
        h.append("<th>Run</th><th>Wall</th><th>User CPU</th>")
                .append(
                        "<th>System CPU</th><th>Peak RSS</th><th>Server CPU</th><th>Data</th><th>Data rate</th>")
                .append("<th>Exit</th><th>Verified</th></tr>\n");
        for (RunResult r : report.runs()) {
            h.append("<tr><td>").append(escape(r.tool())).append("</td>");
            for (String p : report.parameters().keySet()) {
                h.append("<td>")
                        .append(escape(r.parameters().getOrDefault(p, "—")))
                        .append("</td>");
            }
            h.append(
                            num(
                                    r.warmup()
                                            ? "warm-up"
                                            : r.run()
                                                    + (Cells.isOutlier(stats, r)
                                                            ? " (outlier)"
                                                            : "")))
                    .append(num(Format.seconds(r.wallSeconds())))
                    .append(num(Format.seconds(r.userCpuSeconds())))
                    .append(num(Format.seconds(r.systemCpuSeconds())))
                    .append(num(Format.bytes(r.peakRssBytes())))
                    .append(num(Format.seconds(r.serverCpuSeconds())))
                    .append(num(Format.bytes(r.dataBytes())))
                    .append(num(Format.rate(r.dataBytesPerSecond())))
                    .append(num(String.valueOf(r.exitStatus())))
                    .append(
                            r.succeeded()
                                    ? "<td class=\"ok\">ok</td>"
                                    : "<td class=\"fail\">" + escape(r.failureReason()) + "</td>")
                    .append("</tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>Profiles</h2>\n");
        for (ToolProfile p : report.profiles().values()) {
            h.append("<h3>")
                    .append(escape(p.tool()))
                    .append("</h3>\n<p>")
                    .append(p.connections())
                    .append(" connection(s), at most ")
                    .append(p.maxInFlight())
                    .append(" request(s) in flight, block status ")
                    .append(p.usedBlockStatus() ? "used" : "not used")
                    .append(". Read ")
                    .append(escape(Format.bytes(p.bytesRead())))
                    .append(", written ")
                    .append(escape(Format.bytes(p.bytesWritten())))
                    .append(", zeroed ")
                    .append(escape(Format.bytes(p.bytesZeroed())))
                    .append(", trimmed ")
                    .append(escape(Format.bytes(p.bytesTrimmed())))
                    .append(".</p>\n<table><tr><th>Command</th><th>Requests</th></tr>\n");
            for (String c : MarkdownReport.orderedCommands(p.commandCounts())) {
                h.append("<tr><td>")
                        .append(escape(c))
                        .append("</td>")
                        .append(num(String.valueOf(p.commandCounts().get(c))))
                        .append("</tr>\n");
            }
            h.append("</table>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String diskLine(BenchReport report) {
        StringBuilder s = new StringBuilder();
        report.disk()
                .forEach(
                        (k, v) ->
                                s.append(s.length() == 0 ? "" : ", ")
                                        .append(k)
                                        .append('=')
                                        .append(v));
        return s.length() == 0 ? "unknown" : s.toString();
    }

    private static String num(String text) {
        return "<td class=\"num\">" + escape(text) + "</td>";
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "—" : s;
    }
}
