package io.sparserandom.reports;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compares saved reports, e.g. before and after a change to a copy tool. The first report is the
 * baseline; every later one is compared with it, tool by tool.
 */
public final class Compare {

    private Compare() {}

    /**
     * A Markdown comparison: per tool, the median wall time in each report, the change from the
     * baseline in %, and a flag. "slower"/"faster" is flagged only when the two 95 % confidence
     * intervals of the mean wall time do not overlap, i.e. the change is larger than the noise;
     * otherwise the change is reported as "within noise". A tool that failed or is missing in a
     * report is shown as such and never compared.
     */
    public static String render(List<BenchReport> reports) {
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("nothing to compare");
        }
        List<List<ToolStats>> stats = reports.stream().map(BenchReport::statistics).toList();
        Set<String> tools = new LinkedHashSet<>();
        stats.forEach(list -> list.forEach(s -> tools.add(s.tool())));

        StringBuilder md = new StringBuilder("# Benchmark comparison\n\n");
        for (int i = 0; i < reports.size(); i++) {
            BenchReport r = reports.get(i);
            md.append("- ")
                    .append(i == 0 ? "baseline" : "report " + (i + 1))
                    .append(": started ")
                    .append(r.started())
                    .append(", ")
                    .append(r.repeat())
                    .append(" run(s) per tool, disk ")
                    .append(r.disk())
                    .append('\n');
        }
        md.append('\n');
        List<String> header = new ArrayList<>(List.of("Tool", "Baseline median wall"));
        for (int i = 1; i < reports.size(); i++) {
            header.addAll(List.of("Report " + (i + 1) + " median wall", "Change", "Verdict"));
        }
        row(md, header);
        md.append("|").append(" --- |".repeat(header.size())).append('\n');
        for (String tool : tools) {
            List<String> cells = new ArrayList<>();
            cells.add(tool);
            ToolStats base = find(stats.get(0), tool);
            cells.add(describe(base));
            for (int i = 1; i < reports.size(); i++) {
                ToolStats now = find(stats.get(i), tool);
                cells.add(describe(now));
                if (usable(base) && usable(now)) {
                    double change =
                            (now.wall().median() - base.wall().median())
                                    / base.wall().median()
                                    * 100;
                    cells.add(Format.percent(change));
                    cells.add(verdict(base.wall(), now.wall()));
                } else {
                    cells.add("—");
                    cells.add("not comparable");
                }
            }
            row(md, cells);
        }
        md.append(
                "\nChange = (median − baseline median) / baseline median. A change is flagged only when the 95 % "
                        + "confidence intervals of the mean wall time do not overlap.\n");
        return md.toString();
    }

    /**
     * Reads saved report.json files (the first is the baseline) and compares them; see {@link
     * #render}.
     */
    public static String renderFiles(List<java.nio.file.Path> files) throws java.io.IOException {
        List<BenchReport> reports = new ArrayList<>();
        for (java.nio.file.Path file : files) {
            reports.add(BenchReport.read(file));
        }
        return render(reports);
    }

    /** "**slower**", "**faster**" when the intervals are disjoint, else "within noise". */
    static String verdict(Summary base, Summary now) {
        if (!base.disjointFrom(now)) {
            return "within noise";
        }
        return now.ci95Low() > base.ci95High() ? "**slower** ⚠" : "**faster**";
    }

    private static boolean usable(ToolStats s) {
        return s != null && s.passed() && s.wall() != null;
    }

    private static String describe(ToolStats s) {
        if (s == null) {
            return "absent";
        }
        if (s.wall() == null) {
            return "failed (" + s.failed() + "/" + s.runs() + ")";
        }
        String median = Format.seconds(s.wall().median()) + " (n=" + s.wall().n() + ")";
        return s.passed() ? median : median + ", failed " + s.failed() + "/" + s.runs();
    }

    private static ToolStats find(List<ToolStats> stats, String tool) {
        return stats.stream().filter(s -> s.tool().equals(tool)).findFirst().orElse(null);
    }

    private static void row(StringBuilder md, List<String> cells) {
        md.append('|');
        cells.forEach(c -> md.append(' ').append(MarkdownReport.cell(c)).append(" |"));
        md.append('\n');
    }
}
