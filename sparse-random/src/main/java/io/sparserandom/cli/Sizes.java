package io.sparserandom.cli;

import java.util.Locale;

/**
 * Parsing of sizes and numbers as nbdkit writes them: plain bytes or K M G T P E (powers of 1024).
 */
public final class Sizes {
    private Sizes() {}

    /**
     * Parses {@code 512}, {@code 4k}, {@code 1T}, {@code 4E}; up to 2^63-1.
     *
     * @throws IllegalArgumentException naming the value when it is not a size or is too large
     */
    public static long parseSize(String what, String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException(what + ": empty value");
        }
        int shift = 0;
        char last = Character.toUpperCase(s.charAt(s.length() - 1));
        String digits = s;
        if (!Character.isDigit(last)) {
            shift =
                    switch (last) {
                        case 'B' -> 0;
                        case 'K' -> 10;
                        case 'M' -> 20;
                        case 'G' -> 30;
                        case 'T' -> 40;
                        case 'P' -> 50;
                        case 'E' -> 60;
                        default ->
                                throw new IllegalArgumentException(
                                        what
                                                + ": cannot parse '"
                                                + text
                                                + "' (bytes, or a number followed by K M G T P or E)");
                    };
            digits = s.substring(0, s.length() - 1);
        }
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(
                    what
                            + ": cannot parse '"
                            + text
                            + "' (bytes, or a number followed by K M G T P or E)");
        }
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    what + ": '" + text + "' is larger than 2^63-1 bytes");
        }
        if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(
                    what + ": '" + text + "' is larger than 2^63-1 bytes");
        }
        return n << shift;
    }

    /** An unsigned 32-bit number, decimal or 0x hex. */
    public static long parseUint32(String what, String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        try {
            long v = s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
            if (v < 0 || v > 0xffffffffL || s.startsWith("-") || s.startsWith("+")) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    what + ": '" + text + "' is not an unsigned 32-bit number");
        }
    }

    /** A real number from 0 to 100, an optional trailing %. */
    public static double parsePercent(String what, String text) {
        String s = text.trim();
        if (s.endsWith("%")) {
            s = s.substring(0, s.length() - 1);
        }
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a number");
        }
        if (!(v >= 0 && v <= 100)
                || s.endsWith("d")
                || s.endsWith("f")
                || s.endsWith("D")
                || s.endsWith("F")) {
            throw new IllegalArgumentException(
                    what + ": '" + text + "' is not a number from 0 to 100");
        }
        return v;
    }

    /** true/false as nbdkit reads them: 1/0, true/false, yes/no, on/off (any case). */
    public static boolean parseBool(String what, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "t", "yes", "y", "on" -> true;
            case "0", "false", "f", "no", "n", "off" -> false;
            default ->
                    throw new IllegalArgumentException(
                            what + ": '" + text + "' is not a boolean (true/false)");
        };
    }
}
