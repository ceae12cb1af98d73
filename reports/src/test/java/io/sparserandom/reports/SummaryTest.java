package io.sparserandom.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void oneToFiveMatchesHandComputedValues() {
        // mean 3; sd = sqrt(10/4) = 1.58114; t(0.975, 4) = 2.77645; half = 2.77645 * 1.58114 /
        // sqrt(5) = 1.96324
        Summary s = Summary.of(5, 3, 1, 4, 2);
        assertEquals(3, s.median(), 0);
        assertEquals(3, s.mean(), 1e-12);
        assertEquals(1.5811, s.stddev(), 1e-4);
        assertEquals(1.0368, s.ci95Low(), 1e-4);
        assertEquals(4.9632, s.ci95High(), 1e-4);
        assertEquals(1, s.min(), 0);
        assertEquals(5, s.max(), 0);
        assertEquals(5, s.n());
    }

    @Test
    void evenCountMedianIsMeanOfMiddlePair() {
        Summary s = Summary.of(10, 1, 3, 2);
        assertEquals(2.5, s.median(), 0);
        assertEquals(4, s.mean(), 1e-12);
        // sd = sqrt((9 + 4 + 1 + 36) / 3) = 4.08248; t(0.975, 3) = 3.18245; half = 6.49612
        assertEquals(4.08248, s.stddev(), 1e-5);
        assertEquals(4 - 6.49612, s.ci95Low(), 1e-4);
        assertEquals(4 + 6.49612, s.ci95High(), 1e-4);
    }

    @Test
    void twoValuesUseTheWideTInterval() {
        // t(0.975, 1) = 12.7062: two runs say very little.
        Summary s = Summary.of(1, 3);
        assertEquals(2 - 12.7062 * Math.sqrt(2) / Math.sqrt(2), s.ci95Low(), 1e-3);
    }

    @Test
    void singleValueHasADegenerateIntervalNotNaN() {
        Summary s = Summary.of(2.5);
        assertEquals(new Summary(2.5, 2.5, 0, 2.5, 2.5, 2.5, 2.5, 1), s);
    }

    @Test
    void rejectsEmptyAndNonFinite() {
        assertThrows(IllegalArgumentException.class, Summary::of);
        assertThrows(IllegalArgumentException.class, () -> Summary.of(1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Summary.of(Double.POSITIVE_INFINITY));
    }

    @Test
    void disjointIntervals() {
        Summary a = Summary.of(1, 1.1, 0.9, 1.05, 0.95);
        Summary b = Summary.of(2, 2.1, 1.9, 2.05, 1.95);
        Summary wide = Summary.of(0.5, 3, 1, 2.5, 1.5);
        assertTrue(a.disjointFrom(b));
        assertTrue(b.disjointFrom(a));
        assertFalse(a.disjointFrom(wide));
    }
}
