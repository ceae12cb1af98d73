package io.sparserandom.reports;

import java.util.Arrays;

/**
 * Outliers by the modified z-score of Iglewicz and Hoaglin (1993): M = 0.6745 · (x − median) / MAD,
 * where MAD is the median of |x − median|; |M| > 3.5 is an outlier. Median and MAD ignore the
 * outliers they are looking for, unlike mean and standard deviation, which one slow run drags
 * along. When more than half the values are equal the MAD is 0; then the mean absolute deviation
 * stands in, scaled by 1.253314 (√(π/2), which makes it estimate σ for normal data the way MAD /
 * 0.6745 does); if that is 0 too, all values are equal and none is an outlier.
 */
final class Outliers {

    static final double THRESHOLD = 3.5;

    private Outliers() {}

    /** Modified z-scores, in the order of {@code values}; all 0 when there is no spread. */
    static double[] modifiedZScores(double[] values) {
        double median = median(values);
        double[] deviations = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            deviations[i] = Math.abs(values[i] - median);
        }
        double mad = median(deviations);
        double[] z = new double[values.length];
        if (mad > 0) {
            for (int i = 0; i < values.length; i++) {
                z[i] = 0.6745 * (values[i] - median) / mad;
            }
            return z;
        }
        double meanAd = Arrays.stream(deviations).average().orElse(0);
        if (meanAd > 0) {
            for (int i = 0; i < values.length; i++) {
                z[i] = (values[i] - median) / (1.253314 * meanAd);
            }
        }
        return z;
    }

    /** True at each index whose |modified z-score| exceeds {@link #THRESHOLD}. */
    static boolean[] flags(double[] values) {
        double[] z = modifiedZScores(values);
        boolean[] out = new boolean[values.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = Math.abs(z[i]) > THRESHOLD;
        }
        return out;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
