package io.sparserandom.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The charts of a sweep: one line chart per swept parameter, its values on the x axis in the order
 * given, median data throughput on the y axis with its interval as a band, and every run as a dot.
 * One line per tool and combination of the other parameters' values.
 */
final class SweepCharts {

    private SweepCharts() {}

    static String render(BenchReport report, List<ToolStats> stats) {
        StringBuilder out = new StringBuilder();
        int index = 0;
        for (Map.Entry<String, List<String>> swept : report.parameters().entrySet()) {
            String name = swept.getKey();
            List<String> values = swept.getValue();
            Map<String, SvgChart.Series> series = new LinkedHashMap<>();
            double max = 1;
            for (ToolStats s : stats) {
                if (s.dataBytesPerSecond() == null) {
                    continue;
                }
                int x = values.indexOf(s.parameters().get(name));
                if (x < 0) {
                    continue;
                }
                Map<String, String> others = new LinkedHashMap<>(s.parameters());
                others.remove(name);
                String line = ToolStats.label(s.tool(), others) + (s.passed() ? "" : " (failed)");
                SvgChart.Series se = series.computeIfAbsent(line, k -> empty(k, values.size()));
                Summary r = s.dataBytesPerSecond();
                se.values()[x] = r.median();
                se.low()[x] = r.hasInterval() ? r.medianLow() : Double.NaN;
                se.high()[x] = r.hasInterval() ? r.medianHigh() : Double.NaN;
                se.dots().get(x).addAll(dots(report, stats, s, true));
                max = Math.max(max, r.median());
            }
            out.append(
                    SvgChart.lines(
                            "sweep-" + index++,
                            "Median data throughput by " + name + " — higher is better",
                            name,
                            "data bytes per second",
                            values,
                            List.copyOf(series.values()),
                            Format::rate,
                            SvgChart.binaryUnit(max)));
        }
        return out.toString();
    }

    private static SvgChart.Series empty(String name, int n) {
        double[] v = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        java.util.Arrays.fill(v, Double.NaN);
        java.util.Arrays.fill(lo, Double.NaN);
        java.util.Arrays.fill(hi, Double.NaN);
        List<List<SvgChart.Dot>> dots = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dots.add(new ArrayList<>());
        }
        return new SvgChart.Series(name, v, lo, hi, dots);
    }

    /** The successful counted runs behind {@code s}, as dots of wall time or data throughput. */
    static List<SvgChart.Dot> dots(
            BenchReport report, List<ToolStats> stats, ToolStats s, boolean rate) {
        List<SvgChart.Dot> dots = new ArrayList<>();
        for (RunResult r : report.runs()) {
            if (r.warmup()
                    || !r.succeeded()
                    || !r.tool().equals(s.tool())
                    || !r.parameters().equals(s.parameters())) {
                continue;
            }
            boolean outlier = Cells.isOutlier(stats, r);
            double v = rate ? r.dataBytesPerSecond() : r.wallSeconds();
            dots.add(
                    new SvgChart.Dot(
                            v,
                            outlier,
                            s.label()
                                    + " run "
                                    + r.run()
                                    + ": "
                                    + (rate ? Format.rate(v) : Format.seconds(v))
                                    + (outlier ? " (outlier)" : "")));
        }
        return dots;
    }
}
