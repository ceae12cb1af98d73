package io.sparserandom.reports;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Small inline SVG charts drawn by hand: horizontal bars (optionally with interval whiskers) and a
 * column histogram. Every text goes through {@link Html#escape}. Sizes are in CSS pixels.
 */
final class SvgChart {

    /** One bar: a label, a value and an optional interval (NaN when there is none). */
    record Bar(String label, double value, double low, double high, boolean failed) {}

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
