package io.sparserandom.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations on the command line: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 2d}.
 */
final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)?");

    private Durations() {}

    /**
     * A number with a unit (seconds without one), or ISO-8601 ({@code PT1H30M}).
     *
     * @throws IllegalArgumentException naming {@code what} and the bad text
     */
    static Duration parse(String what, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    what + ": '" + text + "' is not a duration (e.g. 500ms, 30s, 10m, 1h, 2d)");
        }
    }
}
