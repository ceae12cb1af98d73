package io.sparserandom.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;

/** The interval, outlier, bootstrap and rank-test arithmetic against published or hand values. */
class RobustStatisticsTest {

    @Test
    void medianIntervalRanksMatchTheBinomialTable() {
        // Coverage 1 - 2·P(B <= k-1), B ~ Bin(n, 1/2), by hand and as tabulated for the sign-test
        // interval (e.g. Conover, Practical Nonparametric Statistics, 3rd ed., table A3):
        // n=6: k=1 gives 1 - 2/64 = 0.96875; n=10: k=2 gives 1 - 2·11/1024 = 0.978515625;
        // n=20: k=6 gives 0.9586105; n=5: k=1 gives only 0.9375.
        assertEquals(0, MedianInterval.lowerRank(5));
        assertEquals(1, MedianInterval.lowerRank(6));
        assertEquals(2, MedianInterval.lowerRank(10));
        assertEquals(6, MedianInterval.lowerRank(20));
        assertEquals(0.96875, MedianInterval.coverage(6, 1), 1e-12);
        assertEquals(0.978515625, MedianInterval.coverage(10, 2), 1e-12);
        assertEquals(0.9586105346679688, MedianInterval.coverage(20, 6), 1e-12);
        assertEquals(0.9375, MedianInterval.coverage(5, 1), 1e-12);
        assertEquals(6, MedianInterval.MIN_VALUES);
    }

    @Test
    void modifiedZScoresByHand() {
        // Values 1, 2, 3, 4, 100: median 3; |x - 3| = 2, 1, 0, 1, 97, MAD = 1;
        // M = 0.6745 · (x - 3) / 1 = -1.349, -0.6745, 0, 0.6745, 65.43 (Iglewicz & Hoaglin 1993).
        double[] z = Outliers.modifiedZScores(new double[] {1, 2, 3, 4, 100});
        assertArrayEquals(new double[] {-1.349, -0.6745, 0, 0.6745, 65.4265}, z, 1e-4);
        assertArrayEquals(
                new boolean[] {false, false, false, false, true},
                Outliers.flags(new double[] {1, 2, 3, 4, 100}));
    }

    @Test
    void zeroMadFallsBackToMeanAbsoluteDeviation() {
        // 2, 2, 2, 2, 9: MAD 0; mean |x - 2| = 7/5 = 1.4; M(9) = 7 / (1.253314 · 1.4) = 3.9894.
        double[] z = Outliers.modifiedZScores(new double[] {2, 2, 2, 2, 9});
        assertEquals(3.9894, z[4], 1e-4);
        assertTrue(Outliers.flags(new double[] {2, 2, 2, 2, 9})[4]);
        assertArrayEquals(new boolean[] {false, false}, Outliers.flags(new double[] {5, 5}));
    }

    @Test
    void mannWhitneyMatchesScipyDocs() {
        // scipy.stats.mannwhitneyu documentation example (Mann & Whitney 1947 data, ages of males
        // and females): U1 = 17. commons-math3 uses the normal approximation without continuity
        // correction: z = (17 - 10) / sqrt(5·4·10/12), p = 2·(1 - Φ(1.7146)) = 0.0864107,
        // scipy's mannwhitneyu(..., method="asymptotic", use_continuity=False) also gives this.
        double[] males = {19, 22, 16, 29, 24};
        double[] females = {20, 11, 17, 12};
        MannWhitneyUTest test = new MannWhitneyUTest();
        assertEquals(17, test.mannWhitneyU(males, females), 0);
        assertEquals(0.0864107329737, test.mannWhitneyUTest(males, females), 1e-9);
    }

    @Test
    void bootstrapIsSeededFinitePositiveAndBracketsTheRatio() {
        double[] a = {4.1, 4.3, 3.9, 4.0, 4.6, 4.2};
        double[] b = {2.0, 2.1, 1.9, 2.05, 2.2, 1.95};
        double[] first = Bootstrap.ratioOfMedians(a, b);
        assertArrayEquals(first, Bootstrap.ratioOfMedians(a, b), 0, "seeded: reproducible");
        double ratio = Outliers.median(a) / Outliers.median(b);
        assertTrue(first[0] > 0 && Double.isFinite(first[1]));
        assertTrue(first[0] <= ratio && ratio <= first[1], ratio + " in " + first[0]);
        // Every resampled median lies in [min, max] of its sample, so the ratio lies in
        // [min(a)/max(b), max(a)/min(b)] = [1.7727, 2.4211].
        assertTrue(first[0] >= 3.9 / 2.2 && first[1] <= 4.6 / 1.9);
    }

    @Test
    void bootstrapOfConstantSamplesIsThePoint() {
        double[] r =
                Bootstrap.ratioOfMedians(
                        new double[] {3, 3, 3, 3, 3, 3}, new double[] {2, 2, 2, 2, 2, 2});
        assertArrayEquals(new double[] {1.5, 1.5}, r, 1e-12);
    }

    @Test
    void bootstrapNeedsSixRunsASide() {
        assertNull(
                Bootstrap.ratioOfMedians(
                        new double[] {1, 2, 3, 4, 5}, new double[] {1, 2, 3, 4, 5, 6}));
        Ratio r = Ratio.of("x", new double[] {2, 2, 2}, new double[] {1, 1, 1});
        assertEquals(2, r.value(), 0);
        assertFalse(r.hasInterval());
    }

    @Test
    void percentileIsRType7() {
        // R: quantile(c(1, 2, 3, 4), c(0.025, 0.975), type = 7) gives 1.075 and 3.925.
        double[] s = {1, 2, 3, 4};
        assertEquals(1.075, Bootstrap.percentile(s, 0.025), 1e-12);
        assertEquals(3.925, Bootstrap.percentile(s, 0.975), 1e-12);
    }
}
