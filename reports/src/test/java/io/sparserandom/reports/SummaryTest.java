package io.sparserandom.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void oneToFiveMatchesHandComputedValues() {
        // mean 3; sd = sqrt(10/4) = 1.58114; with 5 values no 95 % interval of the median exists.
        Summary s = Summary.of(5, 3, 1, 4, 2);
        assertEquals(3, s.median(), 0);
        assertEquals(3, s.mean(), 1e-12);
        assertEquals(1.5811, s.stddev(), 1e-4);
        assertFalse(s.hasInterval(), "n = 5 is too few");
        assertNull(s.medianLow());
        assertEquals(1, s.min(), 0);
        assertEquals(5, s.max(), 0);
        assertEquals(5, s.n());
        assertEquals(1.5811 / 3, s.cv(), 1e-4);
    }

    @Test
    void evenCountMedianIsMeanOfMiddlePair() {
        Summary s = Summary.of(10, 1, 3, 2);
        assertEquals(2.5, s.median(), 0);
        assertEquals(4, s.mean(), 1e-12);
        // sd = sqrt((9 + 4 + 1 + 36) / 3) = 4.08248
        assertEquals(4.08248, s.stddev(), 1e-5);
    }

    @Test
    void sixValuesGiveMinToMax() {
        // n = 6: [x(1), x(6)] covers the median with 1 - 2/64 = 96.9 %.
        Summary s = Summary.of(2.0, 2.2, 1.9, 2.1, 9.0, 2.05);
        assertTrue(s.hasInterval());
        assertEquals(1.9, s.medianLow(), 0);
        assertEquals(9.0, s.medianHigh(), 0);
    }

    @Test
    void noisyRunsNeverGiveANegativeBound() {
        // The case: a t interval of the mean of these went below zero.
        Summary s = Summary.of(0.1, 14, 0.2, 0.3, 12, 0.4, 0.2, 0.3, 0.25, 0.35);
        assertTrue(s.medianLow() > 0, "bounds are measured values: " + s);
        // n = 10: ranks 2 and 9 (coverage 97.9 %).
        assertEquals(0.2, s.medianLow(), 0);
        assertEquals(12, s.medianHigh(), 0);
    }

    @Test
    void singleValueHasNoSpreadAndNoInterval() {
        Summary s = Summary.of(2.5);
        assertEquals(new Summary(2.5, 2.5, 0, null, null, 2.5, 2.5, 1), s);
    }

    @Test
    void rejectsEmptyAndNonFinite() {
        assertThrows(IllegalArgumentException.class, Summary::of);
        assertThrows(IllegalArgumentException.class, () -> Summary.of(1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Summary.of(Double.POSITIVE_INFINITY));
    }
}
