package io.sparserandom.reports;

import java.util.ArrayList;
import java.util.List;

/** The results table's text, shared by report.md and report.html so they cannot disagree. */
final class Cells {

    private Cells() {}

    static String tooFew(int n) {
        return "too few runs (n=" + n + ", needs " + MedianInterval.MIN_VALUES + ")";
    }

    /** "2.38 s – 2.52 s", or "too few runs (n=5, needs 6)". */
    static String medianInterval(Summary s) {
        if (s == null) {
            return "—";
        }
        return s.hasInterval()
                ? Format.seconds(s.medianLow()) + " – " + Format.seconds(s.medianHigh())
                : tooFew(s.n());
    }

    /** "2.43 s ± 55.1 ms". */
    static String meanSd(Summary s) {
        return s == null ? "—" : Format.seconds(s.mean()) + " ± " + Format.seconds(s.stddev());
    }

    /** "1.71× (1.52 – 1.90)", "1.71× (too few runs)", or "—" without a ratio. */
    static String ratio(Ratio r) {
        if (r == null) {
            return "—";
        }
        return Format.ratio(r.value())
                + (r.hasInterval()
                        ? " (" + Format.sig3(r.low()) + " – " + Format.sig3(r.high()) + ")"
                        : " (too few runs)");
    }

    /** "Ratio to fastest" or "Ratio to nbdcopy". */
    static String ratioHeader(BenchReport report) {
        return report.reference() == null
                ? "Ratio to fastest (95 % interval)"
                : "Ratio to " + report.reference() + " (95 % interval)";
    }

    static String cpuPerGiB(Double seconds) {
        return seconds == null ? "—" : Format.seconds(seconds) + "/GiB";
    }

    static String outliers(ToolStats s) {
        return s.outlierRuns().isEmpty()
                ? "none"
                : "run "
                        + String.join(", ", s.outlierRuns().stream().map(String::valueOf).toList());
    }

    static final List<String> HEADER =
            List.of(
                    "Result",
                    "Runs",
                    "Failed",
                    "Median wall",
                    "95 % interval of median",
                    "Mean ± sd",
                    "Median data rate",
                    "RATIO",
                    "Server CPU per GiB",
                    "Tool CPU per GiB",
                    "Outliers");

    /** The results header: Tool, one column per swept parameter, then {@link #HEADER}. */
    static List<String> header(BenchReport report) {
        List<String> h = new ArrayList<>();
        h.add("Tool");
        h.addAll(report.parameters().keySet());
        for (String c : HEADER) {
            h.add(c.equals("RATIO") ? ratioHeader(report) : c);
        }
        return h;
    }

    /** One results row, as plain text; the first cell after the parameters is pass/FAIL. */
    static List<String> row(BenchReport report, ToolStats s) {
        List<String> r = new ArrayList<>();
        r.add(s.tool());
        for (String p : report.parameters().keySet()) {
            r.add(s.parameters().getOrDefault(p, "—"));
        }
        r.add(s.passed() ? "pass" : "FAIL");
        r.add(String.valueOf(s.runs()));
        r.add(String.valueOf(s.failed()));
        r.add(s.wall() == null ? "—" : Format.seconds(s.wall().median()));
        r.add(medianInterval(s.wall()));
        r.add(meanSd(s.wall()));
        r.add(s.dataBytesPerSecond() == null ? "—" : Format.rate(s.dataBytesPerSecond().median()));
        r.add(ratio(s.ratio()));
        r.add(cpuPerGiB(s.serverCpuPerGiB()));
        r.add(cpuPerGiB(s.toolCpuPerGiB()));
        r.add(outliers(s));
        return r;
    }

    /** "Warning (nbdcopy): ..." lines, in table order. */
    static List<String> warnings(List<ToolStats> stats) {
        List<String> out = new ArrayList<>();
        for (ToolStats s : stats) {
            for (String w : s.warnings()) {
                out.add(s.label() + ": " + w);
            }
        }
        return out;
    }

    /** True when the run is flagged as an outlier in its group's statistics. */
    static boolean isOutlier(List<ToolStats> stats, RunResult run) {
        return !run.warmup()
                && stats.stream()
                        .anyMatch(
                                s ->
                                        s.tool().equals(run.tool())
                                                && s.parameters().equals(run.parameters())
                                                && s.outlierRuns().contains(run.run()));
    }

    static final String METHOD =
            "Wall time and throughput over successful counted runs. The 95 % interval of the median"
                    + " is distribution-free (order statistics, binomial); it needs at least "
                    + MedianInterval.MIN_VALUES
                    + " runs. Ratio = median wall time / the reference's median, with a seeded"
                    + " 95 % percentile-bootstrap interval. Outliers: modified z-score (MAD) over 3.5."
                    + " CPU per GiB of data copied (median over runs).";
}
