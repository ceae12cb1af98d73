package io.sparserandom.reports;

/**
 * How many times slower a tool is than a reference (the fastest passing tool, or the one named with
 * --reference): 1 for the reference itself.
 *
 * @param reference the label of the tool it is compared with
 * @param value the tool's median wall time over the reference's median wall time
 * @param low lower bound of the 95 % bootstrap interval ({@link Bootstrap}); null with too few runs
 * @param high upper bound; null with too few runs
 */
public record Ratio(String reference, double value, Double low, Double high) {

    /**
     * The ratio of medians of two samples of positive wall times. Both bounds are ratios of
     * resampled medians, so they are finite and positive; the interval is null when either tool has
     * fewer than {@link MedianInterval#MIN_VALUES} runs.
     */
    public static Ratio of(String reference, double[] tool, double[] ref) {
        double value = Outliers.median(tool) / Outliers.median(ref);
        double[] interval = Bootstrap.ratioOfMedians(tool, ref);
        if (interval == null) {
            return new Ratio(reference, value, null, null);
        }
        return new Ratio(reference, value, interval[0], interval[1]);
    }

    public boolean hasInterval() {
        return low != null && high != null;
    }
}
