package io.sparserandom.faults;

/**
 * A probability in [0, 1], written {@code 1%} or {@code 0.01}. It is compared with the top 53 bits
 * of a fault hash, so a rate of 1 hits every request and 0 none.
 */
public record FaultRate(double value) {
    public static final FaultRate NEVER = new FaultRate(0);
    public static final FaultRate ALWAYS = new FaultRate(1);

    private static final double TWO_53 = 0x1p53;

    public FaultRate {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("rate " + value + " is not between 0 and 1");
        }
    }

    /**
     * Parses {@code 1%}, {@code 0.5%} or {@code 0.01}. A bare number is a probability, so {@code 1}
     * means every request, as in nbdkit's error filter.
     */
    public static FaultRate parse(String text) {
        String t = text == null ? "" : text.strip();
        boolean percent = t.endsWith("%");
        String number = percent ? t.substring(0, t.length() - 1) : t;
        double v;
        try {
            // Reject hex floats, "NaN", "Infinity" and type suffixes that parseDouble accepts.
            if (number.isEmpty()
                    || !number.matches("[0-9]*\\.?[0-9]*([eE][-+]?[0-9]+)?")
                    || number.equals(".")) {
                throw new NumberFormatException();
            }
            v = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "bad rate '"
                            + text
                            + "' (expected a probability like 0.01 or a percentage like 1%)");
        }
        if (percent) {
            v /= 100;
        }
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(
                    "rate '" + text + "' is not between 0 and 1 (0% and 100%)");
        }
        return new FaultRate(v);
    }

    /** True when a uniformly distributed 64-bit hash falls under this rate. */
    boolean hit(long hash) {
        return (hash >>> 11) < threshold();
    }

    private long threshold() {
        // value * 2^53 is exact for the rates people write, and 2^53 for a rate of 1 exceeds every
        // (hash >>> 11).
        return (long) (value * TWO_53);
    }

    public boolean isZero() {
        return value == 0;
    }

    /** The option form, e.g. {@code 0.01}; parses back to the same value. */
    @Override
    public String toString() {
        return Double.toString(value);
    }
}
