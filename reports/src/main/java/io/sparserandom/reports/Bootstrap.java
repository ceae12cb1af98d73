package io.sparserandom.reports;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile-bootstrap intervals for a ratio of medians, median(a) / median(b), the two samples
 * resampled independently. The generator is seeded with a constant, so the same runs always give
 * the same interval and a re-rendered report matches the original. Both samples need at least
 * {@link MedianInterval#MIN_VALUES} values: a bootstrap median never leaves [min, max], and with
 * fewer values even that range covers the median less than 95 % of the time.
 */
final class Bootstrap {

    static final int RESAMPLES = 10_000;
    static final long SEED = 0x5eed_5eedL;

    private Bootstrap() {}

    /**
     * {low, high}: the 2.5 and 97.5 percentiles of the resampled ratios, or null when either sample
     * is too small. Values must be positive, so every ratio is finite and positive.
     */
    static double[] ratioOfMedians(double[] a, double[] b) {
        if (a.length < MedianInterval.MIN_VALUES || b.length < MedianInterval.MIN_VALUES) {
            return null;
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[] ratios = new double[RESAMPLES];
        double[] ra = new double[a.length];
        double[] rb = new double[b.length];
        for (int i = 0; i < RESAMPLES; i++) {
            ratios[i] = medianOfResample(a, ra, random) / medianOfResample(b, rb, random);
        }
        Arrays.sort(ratios);
        return new double[] {percentile(ratios, 0.025), percentile(ratios, 0.975)};
    }

    private static double medianOfResample(double[] from, double[] into, SplittableRandom r) {
        for (int i = 0; i < into.length; i++) {
            into[i] = from[r.nextInt(from.length)];
        }
        Arrays.sort(into);
        int n = into.length;
        return n % 2 == 1 ? into[n / 2] : (into[n / 2 - 1] + into[n / 2]) / 2;
    }

    /** Linear interpolation between closest ranks (R's type 7, numpy's default). */
    static double percentile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
