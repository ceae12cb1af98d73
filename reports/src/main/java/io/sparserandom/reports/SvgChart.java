package io.sparserandom.reports;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Small inline SVG charts drawn by hand: horizontal bars (optionally with interval whiskers) and a
 * column histogram. Every text goes through {@link Html#escape}. Sizes are in CSS pixels.
 */
final class SvgChart {

    /** One bar: a label, a value, an optional interval (NaN when there is none) and its runs. */
    record Bar(
            String label, double value, double low, double high, boolean failed, List<Dot> dots) {
        Bar(String label, double value, double low, double high, boolean failed) {
            this(label, value, low, high, failed, List.of());
        }
    }

    /** One run drawn as a dot; outliers are drawn hollow and red. */
    record Dot(double value, boolean outlier, String title) {}

    /**
     * One line of a line chart: a value per x category (NaN where there is none), its interval band
     * (NaN where there is none) and each category's runs.
     */
    static final class Series {
        private final String name;
        private final double[] values;
        private final double[] low;
        private final double[] high;
        private final List<List<Dot>> dots;

        Series(String name, double[] values, double[] low, double[] high, List<List<Dot>> dots) {
            this.name = name;
            this.values = values;
            this.low = low;
            this.high = high;
            this.dots = dots;
        }

        String name() {
            return name;
        }

        double[] values() {
            return values;
        }

        double[] low() {
            return low;
        }

        double[] high() {
            return high;
        }

        List<List<Dot>> dots() {
            return dots;
        }
    }

    private static final String[] PALETTE = {
        "#3b6fd8", "#e08a1e", "#2e9e5b", "#9b4dca", "#c2410c", "#0e7490", "#6b7280"
    };

    private static final int WIDTH = 900;
    private static final int LABEL_WIDTH = 170;
    private static final int VALUE_WIDTH = 150;
    private static final int ROW = 34;
    private static final int TOP = 40;
    private static final int AXIS = 46;

    private SvgChart() {}

    /**
     * Horizontal bars from zero, a grid with "nice" ticks, the formatted value at each bar's end
     * and, when a bar has an interval, a whisker from low to high.
     */
    static String bars(
            String id,
            String title,
            String axisLabel,
            List<Bar> bars,
            DoubleFunction<String> format) {
        return bars(id, title, axisLabel, bars, format, 1);
    }

    /**
     * As above, with ticks that are round numbers of {@code unit} (e.g. 1 MiB/s for a byte rate, so
     * the axis reads 200, 400, 600 MiB/s rather than 191, 381, 572 MiB/s).
     */
    static String bars(
            String id,
            String title,
            String axisLabel,
            List<Bar> bars,
            DoubleFunction<String> format,
            double unit) {
        double max = 0;
        for (Bar b : bars) {
            max = Math.max(max, finite(b.high()) ? b.high() : b.value());
            max = Math.max(max, b.value());
            for (Dot d : b.dots()) {
                max = Math.max(max, d.value());
            }
        }
        double[] ticks = niceTicks(max / unit);
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] *= unit;
        }
        double axisMax = ticks[ticks.length - 1];
        int plotLeft = LABEL_WIDTH;
        int plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
        int height = TOP + Math.max(1, bars.size()) * ROW + AXIS;
        int plotBottom = TOP + bars.size() * ROW;
        StringBuilder svg = open(id, WIDTH, height, title);
        text(svg, 10, 24, "title", "start", title);
        for (double t : ticks) {
            double x = plotLeft + t / axisMax * plotWidth;
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>",
                            x,
                            TOP,
                            x,
                            plotBottom));
            text(svg, x, plotBottom + 16, "tick", "middle", format.apply(t));
        }
        text(svg, plotLeft + plotWidth / 2.0, plotBottom + 36, "axis", "middle", axisLabel);
        int y = TOP;
        for (Bar b : bars) {
            double w = axisMax > 0 ? b.value() / axisMax * plotWidth : 0;
            text(svg, plotLeft - 8, y + ROW / 2.0 + 5, "label", "end", b.label());
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>%s</title></rect>",
                            b.failed() ? "bar failed" : "bar",
                            plotLeft,
                            y + 6,
                            w,
                            ROW - 12,
                            Html.escape(b.label() + ": " + format.apply(b.value()))));
            double end = plotLeft + w;
            if (finite(b.low()) && finite(b.high())) {
                double x1 = plotLeft + Math.max(0, b.low()) / axisMax * plotWidth;
                double x2 = plotLeft + b.high() / axisMax * plotWidth;
                double mid = y + ROW / 2.0;
                svg.append(
                        String.format(
                                Locale.ROOT,
                                "<path class=\"whisker\" d=\"M%.1f %.1fH%.1fM%.1f %.1fV%.1fM%.1f %.1fV%.1f\"/>",
                                x1,
                                mid,
                                x2,
                                x1,
                                mid - 7,
                                mid + 7,
                                x2,
                                mid - 7,
                                mid + 7));
                end = Math.max(end, x2);
            }
            for (Dot d : b.dots()) {
                double dx = plotLeft + d.value() / axisMax * plotWidth;
                dot(svg, dx, y + ROW / 2.0, d, "#111");
                end = Math.max(end, dx + 4);
            }
            text(
                    svg,
                    end + 6,
                    y + ROW / 2.0 + 5,
                    "value",
                    "start",
                    format.apply(b.value()) + (b.failed() ? " (failed)" : ""));
            y += ROW;
        }
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<line class=\"axisline\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                        plotLeft,
                        TOP,
                        plotLeft,
                        plotBottom));
        return svg.append("</svg>\n").toString();
    }

    /**
     * A line chart over categories (the values of one swept parameter, in the order given): per
     * series a shaded band from low to high, the line through the values, and every run as a small
     * dot. Ticks are round numbers of {@code unit}.
     */
    static String lines(
            String id,
            String title,
            String xLabel,
            String yLabel,
            List<String> categories,
            List<Series> series,
            DoubleFunction<String> format,
            double unit) {
        double max = 0;
        for (Series se : series) {
            for (int i = 0; i < categories.size(); i++) {
                max = Math.max(max, finite(se.values()[i]) ? se.values()[i] : 0);
                max = Math.max(max, finite(se.high()[i]) ? se.high()[i] : 0);
                for (Dot d : se.dots().get(i)) {
                    max = Math.max(max, d.value());
                }
            }
        }
        double[] ticks = niceTicks(max / unit);
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] *= unit;
        }
        double axisMax = ticks[ticks.length - 1];
        int left = 110;
        int legend = 20 + 18 * series.size();
        int plotTop = TOP + 10;
        int plotHeight = 260;
        int plotWidth = WIDTH - left - 40;
        int plotBottom = plotTop + plotHeight;
        int height = plotBottom + 50 + legend;
        StringBuilder svg = open(id, WIDTH, height, title);
        text(svg, 10, 24, "title", "start", title);
        for (double t : ticks) {
            double yy = plotBottom - t / axisMax * plotHeight;
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
                            left,
                            yy,
                            left + plotWidth,
                            yy));
            text(svg, left - 6, yy + 4, "tick", "end", format.apply(t));
        }
        text(svg, 16, plotTop + plotHeight / 2.0, "axis vertical", "middle", yLabel);
        double slot = categories.isEmpty() ? 0 : (double) plotWidth / categories.size();
        for (int i = 0; i < categories.size(); i++) {
            text(
                    svg,
                    left + slot * (i + 0.5),
                    plotBottom + 18,
                    "tick",
                    "middle",
                    categories.get(i));
        }
        text(svg, left + plotWidth / 2.0, plotBottom + 38, "axis", "middle", xLabel);
        for (int k = 0; k < series.size(); k++) {
            Series se = series.get(k);
            String colour = PALETTE[k % PALETTE.length];
            StringBuilder upper = new StringBuilder();
            StringBuilder lower = new StringBuilder();
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < categories.size(); i++) {
                double x = left + slot * (i + 0.5);
                if (finite(se.low()[i]) && finite(se.high()[i])) {
                    upper.append(upper.length() == 0 ? "M" : "L")
                            .append(
                                    String.format(
                                            Locale.ROOT,
                                            "%.1f %.1f",
                                            x,
                                            y(se.high()[i], axisMax, plotBottom, plotHeight)));
                    lower.insert(
                            0,
                            String.format(
                                    Locale.ROOT,
                                    "L%.1f %.1f",
                                    x,
                                    y(se.low()[i], axisMax, plotBottom, plotHeight)));
                }
                if (finite(se.values()[i])) {
                    line.append(line.length() == 0 ? "M" : "L")
                            .append(
                                    String.format(
                                            Locale.ROOT,
                                            "%.1f %.1f",
                                            x,
                                            y(se.values()[i], axisMax, plotBottom, plotHeight)));
                }
            }
            if (upper.length() > 0) {
                svg.append(
                        String.format(
                                Locale.ROOT,
                                "<path class=\"band\" d=\"%s%sZ\" fill=\"%s\"/>",
                                upper,
                                lower,
                                colour));
            }
            if (line.length() > 0) {
                svg.append(
                        String.format(
                                Locale.ROOT,
                                "<path class=\"line\" d=\"%s\" stroke=\"%s\"/>",
                                line,
                                colour));
            }
            for (int i = 0; i < categories.size(); i++) {
                double x = left + slot * (i + 0.5);
                List<Dot> dots = se.dots().get(i);
                for (int j = 0; j < dots.size(); j++) {
                    // Spread a category's runs a little sideways so equal values stay visible.
                    double dx = x + (j - (dots.size() - 1) / 2.0) * 3;
                    dot(
                            svg,
                            dx,
                            y(dots.get(j).value(), axisMax, plotBottom, plotHeight),
                            dots.get(j),
                            colour);
                }
                if (finite(se.values()[i])) {
                    svg.append(
                            String.format(
                                    Locale.ROOT,
                                    "<circle class=\"median\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"><title>%s</title></circle>",
                                    x,
                                    y(se.values()[i], axisMax, plotBottom, plotHeight),
                                    colour,
                                    Html.escape(
                                            se.name()
                                                    + " at "
                                                    + categories.get(i)
                                                    + ": median "
                                                    + format.apply(se.values()[i]))));
                }
            }
            double ly = plotBottom + 62 + 18 * k;
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<rect x=\"%d\" y=\"%.1f\" width=\"14\" height=\"10\" fill=\"%s\"/>",
                            left,
                            ly - 9,
                            colour));
            text(svg, left + 20, ly, "label", "start", se.name());
        }
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<line class=\"axisline\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                        left,
                        plotBottom,
                        left + plotWidth,
                        plotBottom));
        return svg.append("</svg>\n").toString();
    }

    private static double y(double value, double axisMax, int plotBottom, int plotHeight) {
        return plotBottom - value / axisMax * plotHeight;
    }

    private static void dot(StringBuilder svg, double x, double y, Dot d, String colour) {
        svg.append(
                String.format(
                        Locale.ROOT,
                        d.outlier()
                                ? "<circle class=\"dot outlier\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>%s</title></circle>"
                                : "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>%s</title></circle>",
                        d.outlier()
                                ? new Object[] {x, y, Html.escape(d.title())}
                                : new Object[] {x, y, colour, Html.escape(d.title())}));
    }

    /** Columns, one per power-of-two bucket from the smallest to the largest non-empty one. */
    static String histogram(String id, String title, List<ToolProfile.Bucket> buckets) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < buckets.size(); i++) {
            if (buckets.get(i).count() > 0) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        List<ToolProfile.Bucket> shown = first < 0 ? List.of() : buckets.subList(first, last + 1);
        long max = shown.stream().mapToLong(ToolProfile.Bucket::count).max().orElse(0);
        double[] ticks = niceTicks(max);
        double axisMax = ticks[ticks.length - 1];
        int left = 70;
        int plotWidth = WIDTH - left - 20;
        int plotTop = TOP + 10;
        int plotHeight = 200;
        int plotBottom = plotTop + plotHeight;
        int height = plotBottom + 80;
        StringBuilder svg = open(id, WIDTH, height, title);
        text(svg, 10, 24, "title", "start", title);
        for (double t : ticks) {
            double yy = plotBottom - t / axisMax * plotHeight;
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
                            left,
                            yy,
                            left + plotWidth,
                            yy));
            text(svg, left - 6, yy + 4, "tick", "end", Format.sig3(t));
        }
        text(svg, 16, plotTop + plotHeight / 2.0, "axis vertical", "middle", "requests");
        if (shown.isEmpty()) {
            text(
                    svg,
                    left + plotWidth / 2.0,
                    plotTop + plotHeight / 2.0,
                    "label",
                    "middle",
                    "no requests recorded");
        }
        double slot = shown.isEmpty() ? 0 : (double) plotWidth / shown.size();
        for (int i = 0; i < shown.size(); i++) {
            ToolProfile.Bucket b = shown.get(i);
            double h = axisMax > 0 ? b.count() / axisMax * plotHeight : 0;
            double x = left + i * slot;
            String bucket =
                    b.upperBytes() == Long.MAX_VALUE
                            ? "larger"
                            : "≤ " + Format.bytes(b.upperBytes());
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s</title></rect>",
                            x + slot * 0.1,
                            plotBottom - h,
                            slot * 0.8,
                            h,
                            Html.escape(bucket + ": " + b.count() + " requests")));
            if (b.count() > 0) {
                text(
                        svg,
                        x + slot / 2,
                        plotBottom - h - 4,
                        "value small",
                        "middle",
                        String.valueOf(b.count()));
            }
            double lx = x + slot / 2;
            double ly = plotBottom + 14;
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<text class=\"tick\" text-anchor=\"end\" transform=\"translate(%.1f %.1f) rotate(-40)\">%s</text>",
                            lx,
                            ly,
                            Html.escape(
                                    b.upperBytes() == Long.MAX_VALUE
                                            ? "larger"
                                            : powerOfTwo(b.upperBytes()))));
        }
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<line class=\"axisline\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                        left,
                        plotBottom,
                        left + plotWidth,
                        plotBottom));
        text(
                svg,
                left + plotWidth / 2.0,
                height - 8,
                "axis",
                "middle",
                "request size (bucket upper bound)");
        return svg.append("</svg>\n").toString();
    }

    /** The binary unit (1, 1024, 1024², …) in which {@code value} reads between 1 and 1024. */
    static double binaryUnit(double value) {
        double unit = 1;
        while (value >= unit * 1024 && unit < 0x1p60) {
            unit *= 1024;
        }
        return unit;
    }

    /** A bucket bound compactly: 4096 -> "4 KiB", 1048576 -> "1 MiB", 1536 -> "1.50 KiB". */
    static String powerOfTwo(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int unit = 0;
        long value = bytes;
        while (value >= 1024 && value % 1024 == 0 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return value < 1024 ? value + " " + units[unit] : Format.bytes(bytes);
    }

    /**
     * Ticks 0, step, 2·step … covering max, with step 1, 2 or 5 × 10^k and about five intervals.
     */
    static double[] niceTicks(double max) {
        if (!(max > 0) || !Double.isFinite(max)) {
            return new double[] {0, 1};
        }
        double raw = max / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step;
        if (raw / magnitude <= 1) {
            step = magnitude;
        } else if (raw / magnitude <= 2) {
            step = 2 * magnitude;
        } else if (raw / magnitude <= 5) {
            step = 5 * magnitude;
        } else {
            step = 10 * magnitude;
        }
        int n = (int) Math.ceil(max / step - 1e-9);
        double[] ticks = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            ticks[i] = i * step;
        }
        return ticks;
    }

    private static StringBuilder open(String id, int width, int height, String title) {
        return new StringBuilder()
                .append(
                        String.format(
                                Locale.ROOT,
                                "<svg id=\"%s\" class=\"chart\" width=\"%d\" height=\"%d\" "
                                        + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">",
                                Html.escape(id),
                                width,
                                height,
                                width,
                                height,
                                Html.escape(title)));
    }

    private static void text(
            StringBuilder svg, double x, double y, String cls, String anchor, String text) {
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>",
                        cls,
                        x,
                        y,
                        anchor,
                        Html.escape(text)));
    }

    private static boolean finite(double v) {
        return Double.isFinite(v);
    }
}
