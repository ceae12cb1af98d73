package io.sparserandom.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The verdict's numbers are written without java.util.Formatter (its first use is a measurable part
 * of a short run's start-up); they must read exactly as the formatter wrote them.
 */
class VerdictNumbersTest {
    @Property(tries = 5000)
    void fixedIsTheFormattersF(
            @ForAll @DoubleRange(min = 0, max = 1e6) double v, @ForAll("decimals") int decimals) {
        assertEquals(
                String.format(Locale.ROOT, "%." + decimals + "f", v),
                VerdictWriter.fixed(v, decimals));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> decimals() {
        return net.jqwik.api.Arbitraries.integers().between(0, 6);
    }

    @Test
    void fixedRoundsHalfwayCasesAsTheFormatterDoes() {
        for (double v : new double[] {0.125, 1.005, 2.675, 0.0005, 99.995, 12.3456789, 0.0}) {
            for (int d = 0; d <= 4; d++) {
                assertEquals(
                        String.format(Locale.ROOT, "%." + d + "f", v),
                        VerdictWriter.fixed(v, d),
                        v + " to " + d);
            }
        }
    }

    @Property(tries = 5000)
    void humanIsTheFormattersThreeSignificantDigits(
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long bytes) {
        assertEquals(formatted(bytes), VerdictWriter.human(bytes));
    }

    @Test
    void humanAtTheEdgesOfEachUnit() {
        for (int shift = 0; shift < 63; shift += 10) {
            for (long delta = -3; delta <= 3; delta++) {
                long b = Math.max(0, (1L << shift) + delta);
                assertEquals(formatted(b), VerdictWriter.human(b), Long.toString(b));
                long near = Math.max(0, (long) (999.5 * (1L << shift)) + delta);
                assertEquals(formatted(near), VerdictWriter.human(near), Long.toString(near));
                long nine = Math.max(0, (long) (9.995 * (1L << shift)) + delta);
                assertEquals(formatted(nine), VerdictWriter.human(nine), Long.toString(nine));
            }
        }
        assertEquals("407 MiB", VerdictWriter.human(426721280));
    }

    /** What human() wrote before: the formatter's %.3g, or %.0f for plain bytes. */
    private static String formatted(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.3g %s", v, units[u]);
    }
}
