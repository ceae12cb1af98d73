package io.sparserandom.reports;

import java.util.ArrayList;
import java.util.List;

/** The results table as bench prints it on stdout: aligned plain-text columns, then warnings. */
public final class TerminalTable {

    private TerminalTable() {}

    public static String render(BenchReport report) {
        List<ToolStats> stats = report.statistics();
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add("tool");
        header.addAll(report.parameters().keySet());
        header.addAll(
                List.of(
                        "runs",
                        "failed",
                        "median",
                        "95% interval of median",
                        "mean ± sd",
                        report.reference() == null ? "ratio" : "ratio to " + report.reference(),
                        "server CPU",
                        "tool CPU",
                        "outliers"));
        rows.add(header);
        for (ToolStats s : stats) {
            List<String> r = new ArrayList<>();
            r.add(s.tool());
            for (String p : report.parameters().keySet()) {
                r.add(s.parameters().getOrDefault(p, "-"));
            }
            r.add(String.valueOf(s.runs()));
            r.add(String.valueOf(s.failed()));
            r.add(s.wall() == null ? "-" : Format.seconds(s.wall().median()));
            r.add(s.wall() == null ? "-" : Cells.medianInterval(s.wall()));
            r.add(s.wall() == null ? "-" : Cells.meanSd(s.wall()));
            r.add(s.ratio() == null ? "-" : Cells.ratio(s.ratio()));
            r.add(s.serverCpuPerGiB() == null ? "-" : Cells.cpuPerGiB(s.serverCpuPerGiB()));
            r.add(s.toolCpuPerGiB() == null ? "-" : Cells.cpuPerGiB(s.toolCpuPerGiB()));
            r.add(Cells.outliers(s));
            rows.add(r);
        }
        int[] widths = new int[header.size()];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).codePointCount(0, r.get(i).length()));
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                String c = r.get(i);
                line.append(c)
                        .append(" ".repeat(widths[i] - c.codePointCount(0, c.length())))
                        .append("  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        for (String w : Cells.warnings(stats)) {
            out.append("Warning: ").append(w).append('\n');
        }
        return out.toString();
    }

    /** True when some tool had a failed counted run. */
    public static boolean anyFailed(BenchReport report) {
        return report.statistics().stream().anyMatch(s -> s.failed() > 0);
    }
}
