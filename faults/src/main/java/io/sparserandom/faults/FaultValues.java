package io.sparserandom.faults;

import io.sparserandom.device.BlockSizes;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the values of fault options that are not rates: byte counts, durations and block
 * sizes. Each error is one line naming the option and the value.
 */
public final class FaultValues {
    private static final Pattern BYTES = Pattern.compile("([0-9]+)([kKmMgGtTpPeE]?)[bB]?");
    private static final Pattern DURATION =
            Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s)?");

    /** The longest delay accepted: a longer one is a hang, which --timeout tests better. */
    static final Duration MAX_DELAY = Duration.ofMinutes(10);

    private FaultValues() {}

    /** {@code 200M}, {@code 4K}, {@code 1000}: bytes, K M G T P E as powers of 1024. */
    public static long parseBytes(String option, String text) {
        Matcher m = BYTES.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    option
                            + ": cannot parse '"
                            + text
                            + "' (bytes, or a number followed by K M G T P or E)");
        }
        int shift =
                switch (m.group(2).toUpperCase(Locale.ROOT)) {
                    case "K" -> 10;
                    case "M" -> 20;
                    case "G" -> 30;
                    case "T" -> 40;
                    case "P" -> 50;
                    case "E" -> 60;
                    default -> 0;
                };
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(option + ": '" + text + "' is too large");
        }
        return n << shift;
    }

    /** A positive byte count. */
    static long parsePositiveBytes(String option, String text) {
        long n = parseBytes(option, text);
        if (n <= 0) {
            throw new IllegalArgumentException(option + ": '" + text + "' must be more than 0");
        }
        return n;
    }

    /**
     * {@code 500us}, {@code 2ms}, {@code 1.5s}; a bare number is seconds, as in nbdkit's delay
     * filter. From 0 to 10 minutes.
     */
    public static Duration parseDuration(String option, String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    option + ": cannot parse duration '" + text + "' (like 500us, 2ms or 1s)");
        }
        double scale =
                switch (m.group(2) == null ? "s" : m.group(2)) {
                    case "ns" -> 1;
                    case "us", "µs" -> 1e3;
                    case "ms" -> 1e6;
                    default -> 1e9;
                };
        double nanos = Double.parseDouble(m.group(1)) * scale;
        if (nanos > MAX_DELAY.toNanos()) {
            throw new IllegalArgumentException(
                    option + ": '" + text + "' is longer than 10 minutes");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /** {@code MIN:PREFERRED:MAX}, each a byte count ({@code 4K:64K:1M}). */
    public static BlockSizes parseBlockSizes(String option, String text) {
        String[] parts = (text == null ? "" : text).split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException(
                    option + ": '" + text + "' is not MIN:PREFERRED:MAX (like 4K:64K:1M)");
        }
        long[] v = new long[3];
        for (int i = 0; i < 3; i++) {
            v[i] = parseBytes(option, parts[i]);
            if (v[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        option + ": '" + parts[i] + "' is larger than 32M");
            }
        }
        try {
            return new BlockSizes((int) v[0], (int) v[1], (int) v[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + text + ": " + e.getMessage());
        }
    }
}
