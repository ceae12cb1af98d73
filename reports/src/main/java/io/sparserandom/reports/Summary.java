package io.sparserandom.reports;

import java.util.Arrays;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Descriptive statistics of a small sample (a handful of benchmark runs).
 *
 * @param median the middle value; the mean of the two middle values for an even count
 * @param mean arithmetic mean
 * @param stddev sample standard deviation (n - 1 in the denominator); 0 when n = 1
 * @param ci95Low lower bound of the 95 % confidence interval of the mean
 * @param ci95High upper bound of the 95 % confidence interval of the mean
 * @param min smallest value
 * @param max largest value
 * @param n number of values
 */
public record Summary(
        double median,
        double mean,
        double stddev,
        double ci95Low,
        double ci95High,
        double min,
        double max,
        int n) {

    /**
     * Summarises {@code values} (at least one, all finite).
     *
     * <p>The confidence interval is the Student's t interval of the mean: mean ± t(0.975, n - 1) ·
     * s / √n, where s is the sample standard deviation. Benchmark runs are few (often 3 to 10), so
     * t rather than the normal 1.96 matters: with n = 5, t = 2.776. With one value there is no
     * spread to estimate; the interval is that value (not NaN), and readers should treat it as
     * "unknown", which the run count beside it says.
     */
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
        if (n == 1) {
            return new Summary(median, mean, 0, mean, mean, sorted[0], sorted[0], 1);
        }
        double squares = 0;
        for (double v : sorted) {
            squares += (v - mean) * (v - mean);
        }
        double stddev = Math.sqrt(squares / (n - 1));
        double t = new TDistribution(n - 1).inverseCumulativeProbability(0.975);
        double half = t * stddev / Math.sqrt(n);
        return new Summary(
                median, mean, stddev, mean - half, mean + half, sorted[0], sorted[n - 1], n);
    }

    /** True when the two 95 % intervals have no value in common. */
    public boolean disjointFrom(Summary other) {
        return ci95High < other.ci95Low || other.ci95High < ci95Low;
    }
}
