package io.sparserandom.reports;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

/**
 * Compares saved reports, e.g. before and after a change to a copy tool. The first report is the
 * baseline; every later one is compared with it, tool by tool (and sweep point by sweep point).
 */
public final class Compare {

    /** A change is called when the Mann–Whitney p-value is below this. */
    static final double ALPHA = 0.05;

    /** The built-in copier's command starts with this JVM's java and jar paths, then this. */
    private static final String BUILTIN_MAIN = " io.sparserandom.cli.Main ";

    private Compare() {}

    /**
     * What makes the reports measure different things, one line each: a disk parameter other than
     * the seed (a seed picks where the data lies, not how much, and is random unless given), or the
     * command of a tool present in both. For the built-in copier only the arguments after the main
     * class count, since its java and jar paths differ between the builds being compared, which is
     * the point of comparing. Empty when the reports are comparable.
     */
    public static List<String> differences(List<BenchReport> reports) {
        List<String> out = new ArrayList<>();
        BenchReport base = reports.get(0);
        for (int i = 1; i < reports.size(); i++) {
            BenchReport r = reports.get(i);
            String which = "report " + (i + 1) + " vs baseline: ";
            Set<String> keys = new LinkedHashSet<>(base.disk().keySet());
            keys.addAll(r.disk().keySet());
            for (String k : keys) {
                if (k.equals("seed")) {
                    continue;
                }
                String a = base.disk().get(k);
                String b = r.disk().get(k);
                if (!Objects.equals(a, b)) {
                    out.add(which + "disk " + k + " " + dash(b) + " vs " + dash(a));
                }
            }
            if (!base.parameters().equals(r.parameters())) {
                out.add(which + "swept parameters " + r.parameters() + " vs " + base.parameters());
            }
            for (ToolInfo t : r.tools()) {
                for (ToolInfo u : base.tools()) {
                    if (t.name().equals(u.name())
                            && t.command() != null
                            && u.command() != null
                            && !essential(t.command()).equals(essential(u.command()))) {
                        out.add(
                                which
                                        + "tool "
                                        + t.name()
                                        + " command '"
                                        + t.command()
                                        + "' vs '"
                                        + u.command()
                                        + "'");
                    }
                }
            }
        }
        return out;
    }

    private static String essential(String command) {
        int at = command.indexOf(BUILTIN_MAIN);
        return at < 0 ? command.strip() : command.substring(at).strip();
    }

    /**
     * A Markdown comparison: per tool, the median wall time in each report, the change of the
     * median from the baseline with its 95 % bootstrap interval, and the two-sided Mann–Whitney U
     * test's p-value (commons-math3: normal approximation, no continuity correction). A change is
     * called "slower"/"faster" only when p &lt; 0.05 and the interval (when there are enough runs
     * for one) excludes no change; otherwise it is "no clear change". A tool that failed or is
     * missing in a report is shown as such and never compared.
     */
    public static String render(List<BenchReport> reports) {
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("nothing to compare");
        }
        List<List<ToolStats>> stats = reports.stream().map(BenchReport::statistics).toList();
        Set<String> labels = new LinkedHashSet<>();
        stats.forEach(list -> list.forEach(s -> labels.add(s.label())));

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
            header.addAll(
                    List.of(
                            "Report " + (i + 1) + " median wall",
                            "Change (95 % interval)",
                            "Mann–Whitney p",
                            "Verdict"));
        }
        row(md, header);
        md.append("|").append(" --- |".repeat(header.size())).append('\n');
        for (String label : labels) {
            List<String> cells = new ArrayList<>();
            cells.add(label);
            ToolStats base = find(stats.get(0), label);
            cells.add(describe(base));
            for (int i = 1; i < reports.size(); i++) {
                ToolStats now = find(stats.get(i), label);
                cells.add(describe(now));
                if (usable(base) && usable(now)) {
                    Change c = change(times(reports.get(0), base), times(reports.get(i), now));
                    cells.add(c.describe());
                    cells.add(Format.sig3(c.p()));
                    cells.add(c.verdict());
                } else {
                    cells.add("—");
                    cells.add("—");
                    cells.add("not comparable");
                }
            }
            row(md, cells);
        }
        md.append(
                "\nChange = median / baseline median − 1, with a 95 % percentile-bootstrap interval"
                        + " (seeded; needs "
                        + MedianInterval.MIN_VALUES
                        + " runs on each side). p: two-sided Mann–Whitney U test. A change is called"
                        + " only when p < 0.05 and the interval excludes 0.\n");
        return md.toString();
    }

    /**
     * A change between two samples of wall times.
     *
     * @param change median(now) / median(base) − 1
     * @param low lower bound of the bootstrap interval of the change; null with too few runs
     * @param high upper bound; null with too few runs
     * @param p two-sided Mann–Whitney U p-value
     */
    record Change(double change, Double low, Double high, double p) {

        boolean significant() {
            return p < ALPHA && (low == null || low > 0 || high < 0);
        }

        String verdict() {
            if (!significant()) {
                return "no clear change";
            }
            return change > 0 ? "**slower** ⚠" : "**faster**";
        }

        String describe() {
            String point = Format.percent(change * 100);
            return low == null
                    ? point + " (too few runs)"
                    : point
                            + " ("
                            + Format.percent(low * 100)
                            + " … "
                            + Format.percent(high * 100)
                            + ")";
        }
    }

    static Change change(double[] base, double[] now) {
        Ratio r = Ratio.of("baseline", now, base);
        double p = new MannWhitneyUTest().mannWhitneyUTest(base, now);
        return new Change(
                r.value() - 1,
                r.hasInterval() ? r.low() - 1 : null,
                r.hasInterval() ? r.high() - 1 : null,
                p);
    }

    /** Wall times of the successful counted runs behind {@code s}. */
    private static double[] times(BenchReport report, ToolStats s) {
        return report.runs().stream()
                .filter(
                        r ->
                                r.tool().equals(s.tool())
                                        && r.parameters().equals(s.parameters())
                                        && !r.warmup()
                                        && r.succeeded())
                .mapToDouble(RunResult::wallSeconds)
                .toArray();
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

    private static ToolStats find(List<ToolStats> stats, String label) {
        return stats.stream().filter(s -> s.label().equals(label)).findFirst().orElse(null);
    }

    private static String dash(String s) {
        return s == null ? "(none)" : s;
    }

    private static void row(StringBuilder md, List<String> cells) {
        md.append('|');
        cells.forEach(c -> md.append(' ').append(MarkdownReport.cell(c)).append(" |"));
        md.append('\n');
    }
}
