package io.sparserandom.reports;

/**
 * How many times slower a tool is than the fastest tool (1 for the fastest), with an interval.
 *
 * @param value the tool's median wall time over the fastest tool's median wall time
 * @param low lower bound (see {@link #of})
 * @param high upper bound (see {@link #of}); may be infinite when the fastest tool's interval
 *     reaches zero, i.e. its runs are too noisy to bound the ratio
 */
public record Ratio(double value, double low, double high) {

    /**
     * The ratio of two wall-time summaries.
     *
     * <p>Method: the point value is median(tool) / median(fastest). The interval combines the two
     * 95 % confidence intervals of the means conservatively, as if they were independent worst
     * cases: low = tool.ci95Low / fastest.ci95High and high = tool.ci95High / fastest.ci95Low. This
     * is wider than a proper interval for a ratio (e.g. Fieller's) and so errs on the side of "no
     * clear difference". Clamping: a wall time cannot be negative, so each lower bound is first
     * clamped at 0 (a t interval from very few noisy runs can dip below it); a zero denominator
     * gives an infinite upper bound. Finally the interval is widened if needed to contain the point
     * value, since the point uses medians and the bounds use means.
     */
    public static Ratio of(Summary tool, Summary fastest) {
        double value = tool.median() / fastest.median();
        double toolLow = Math.max(0, tool.ci95Low());
        double fastestLow = Math.max(0, fastest.ci95Low());
        double low = toolLow / fastest.ci95High();
        double high = fastestLow > 0 ? tool.ci95High() / fastestLow : Double.POSITIVE_INFINITY;
        return new Ratio(value, Math.min(low, value), Math.max(high, value));
    }
}
