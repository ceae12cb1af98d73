package io.sparserandom.reports;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

/**
 * Descriptive statistics of a small sample (a handful of benchmark runs).
 *
 * <p>The interval is for the median, not the mean, and is distribution-free ({@link
 * MedianInterval}): benchmark times are skewed (a run can be much slower, never much faster than
 * the work allows), so a Student's t interval of the mean assumes what is not there and, with a few
 * noisy runs, reaches below zero. Order statistics are measured values, so the bounds are always
 * real, positive times.
 *
 * @param median the middle value; the mean of the two middle values for an even count
 * @param mean arithmetic mean
 * @param stddev sample standard deviation (n - 1 in the denominator); 0 when n = 1
 * @param medianLow lower bound of the 95 % interval of the median; null with too few values
 * @param medianHigh upper bound of the 95 % interval of the median; null with too few values
 * @param min smallest value
 * @param max largest value
 * @param n number of values
 */
public record Summary(
        double median,
        double mean,
        double stddev,
        Double medianLow,
        Double medianHigh,
        double min,
        double max,
        int n) {

    /** Summarises {@code values} (at least one, all finite). */
    public static Summary of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to summarise");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        for (double v : sorted) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("not a finite value: " + v);
            }
        }
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        double mean = sum / n;
        double squares = 0;
        for (double v : sorted) {
            squares += (v - mean) * (v - mean);
        }
        double stddev = n == 1 ? 0 : Math.sqrt(squares / (n - 1));
        double[] interval = MedianInterval.of(sorted);
        return new Summary(
                median,
                mean,
                stddev,
                interval == null ? null : interval[0],
                interval == null ? null : interval[1],
                sorted[0],
                sorted[n - 1],
                n);
    }

    /** True when there were enough values for the interval of the median. */
    @JsonProperty(value = "hasInterval", access = JsonProperty.Access.READ_ONLY)
    public boolean hasInterval() {
        return medianLow != null && medianHigh != null;
    }

    /** Coefficient of variation, stddev / mean; 0 when the mean is 0. */
    @JsonProperty(value = "cv", access = JsonProperty.Access.READ_ONLY)
    public double cv() {
        return mean != 0 ? stddev / Math.abs(mean) : 0;
    }
}
