package io.sparserandom.reports;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Numbers for people: three significant figures and a unit that keeps them between 1 and 1000. */
public final class Format {

    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Format() {}

    /** Bytes in binary units: 512 -> "512 B", 1536 -> "1.50 KiB", 1.5 GiB -> "1.50 GiB". */
    public static String bytes(double bytes) {
        return binary(bytes, "");
    }

    /** Bytes per second in binary units: "2.31 GiB/s". */
    public static String rate(double bytesPerSecond) {
        return binary(bytesPerSecond, "/s");
    }

    /** A duration: "412 ms", "3.21 s", "41.2 µs"; whole seconds beyond 1000 s ("1235 s"). */
    public static String seconds(double seconds) {
        if (!Double.isFinite(seconds)) {
            return nonFinite(seconds);
        }
        double abs = Math.abs(seconds);
        if (abs == 0) {
            return "0 s";
        }
        if (abs >= 1000) {
            return Math.round(seconds) + " s";
        }
        // Round first, then choose the unit, so 0.9996 s is "1.00 s", not "1000 ms".
        double[] scales = {1e-9, 1e-6, 1e-3, 1};
        String[] units = {"ns", "µs", "ms", "s"};
        for (int i = 0; i < scales.length; i++) {
            double rounded = round3(seconds / scales[i]);
            if (Math.abs(rounded) < 1000 || i == scales.length - 1) {
                return sig3(rounded) + " " + units[i];
            }
        }
        throw new AssertionError("unreachable");
    }

    /** A ratio: "1.00×", "2.35×". */
    public static String ratio(double value) {
        return Double.isFinite(value) ? sig3(value) + "×" : nonFinite(value);
    }

    /** A signed percentage with three significant figures: "+12.3 %", "-0.512 %". */
    public static String percent(double value) {
        if (!Double.isFinite(value)) {
            return nonFinite(value);
        }
        String s = sig3(value);
        return (value > 0 ? "+" : "") + s + " %";
    }

    /**
     * A plain number with three significant figures: 2.7764 -> "2.78", 1234.5 -> "1230", 0 -> "0".
     */
    public static String sig3(double value) {
        if (!Double.isFinite(value)) {
            return nonFinite(value);
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal rounded =
                new BigDecimal(value).round(new MathContext(3, RoundingMode.HALF_EVEN));
        // Integer digits of the rounded value decide the decimals: 9.996 rounds to 10.0, not 10.00.
        int integerDigits = rounded.precision() - rounded.scale();
        int decimals = Math.max(0, 3 - integerDigits);
        return rounded.setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String binary(double value, String suffix) {
        if (!Double.isFinite(value)) {
            return nonFinite(value);
        }
        double abs = Math.abs(value);
        if (abs < 1024) {
            return (abs == Math.rint(abs) ? String.valueOf((long) value) : sig3(value))
                    + " B"
                    + suffix;
        }
        int unit = 0;
        double scaled = value;
        while (Math.abs(scaled) >= 1024 && unit < BINARY.length - 1) {
            scaled /= 1024;
            unit++;
        }
        return sig3(scaled) + " " + BINARY[unit] + suffix;
    }

    private static double round3(double value) {
        if (value == 0) {
            return 0;
        }
        return new BigDecimal(value)
                .round(new MathContext(3, RoundingMode.HALF_EVEN))
                .doubleValue();
    }

    private static String nonFinite(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return value > 0 ? "∞" : "-∞";
    }
}
