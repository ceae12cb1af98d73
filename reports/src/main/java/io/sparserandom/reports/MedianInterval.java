package io.sparserandom.reports;

import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * A distribution-free confidence interval for the median from order statistics.
 *
 * <p>Sort the n values x(1) ≤ … ≤ x(n). The number of values below the true median is Binomial(n,
 * ½) whatever the distribution (continuous), so [x(k), x(n−k+1)] covers the median with probability
 * 1 − 2·P(B ≤ k−1), B ~ Binomial(n, ½). We take the largest k that still gives at least 95 %: the
 * narrowest interval of this form with the promised coverage. With n ≤ 5 even [min, max] covers
 * only 1 − 2/2ⁿ ≤ 93.75 %, so there is no 95 % interval: "too few runs". Every bound is one of the
 * measured values, so a bound is positive whenever the values are.
 */
final class MedianInterval {

    static final double CONFIDENCE = 0.95;

    /** The fewest values that give a 95 % interval (6: [min, max] covers 96.9 %). */
    static final int MIN_VALUES = minValues();

    private MedianInterval() {}

    /**
     * The 1-based rank k of the lower bound (the upper bound is rank n − k + 1), or 0 when n is too
     * small for a {@link #CONFIDENCE} interval.
     */
    static int lowerRank(int n) {
        if (n < 1) {
            return 0;
        }
        BinomialDistribution b = new BinomialDistribution(null, n, 0.5);
        int best = 0;
        for (int k = 1; k <= (n + 1) / 2; k++) {
            if (1 - 2 * b.cumulativeProbability(k - 1) >= CONFIDENCE) {
                best = k;
            } else {
                break;
            }
        }
        return best;
    }

    /** The exact coverage of [x(k), x(n−k+1)]. */
    static double coverage(int n, int k) {
        return 1 - 2 * new BinomialDistribution(null, n, 0.5).cumulativeProbability(k - 1);
    }

    /** {low, high} from sorted values, or null when there are too few. */
    static double[] of(double[] sorted) {
        int k = lowerRank(sorted.length);
        if (k == 0) {
            return null;
        }
        return new double[] {sorted[k - 1], sorted[sorted.length - k]};
    }

    private static int minValues() {
        int n = 1;
        while (lowerRank(n) == 0) {
            n++;
        }
        return n;
    }
}
