package io.sparserandom.gate;

import java.util.List;
import java.util.Locale;

/**
 * One gate scenario: a name, the main command's options that set it up (as the user would type
 * them, e.g. {@code --error read:1%}), and what the tool must do under it.
 *
 * @param name letters, digits, {@code . _ -}
 * @param options the options as one string; {@link #words()} splits them
 * @param kind benign (the copy must succeed) or hostile (it may also fail loudly)
 * @param description one line for {@code --list}
 */
public record Scenario(String name, String options, Kind kind, String description) {

    /** What a scenario demands of the tool. */
    public enum Kind {
        /** The tool must exit 0 with a complete, verified copy. */
        BENIGN,
        /** The tool must fail loudly (non-zero exit), or exit 0 with a complete, verified copy. */
        HOSTILE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "benign" -> BENIGN;
                case "hostile" -> HOSTILE;
                default ->
                        throw new IllegalArgumentException(
                                "'" + text + "' is not a class (benign or hostile)");
            };
        }
    }

    public Scenario {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "scenario name '" + name + "' must be letters, digits, . _ -");
        }
        // Split now so that a bad quote is an error when the scenario is made, not when it runs.
        Words.split(options);
    }

    /** The options as separate arguments, split as a shell would split them (quotes honoured). */
    public List<String> words() {
        return Words.split(options);
    }

    /**
     * {@code --add NAME=OPTIONS:benign|hostile}: the name up to the first '=', the class after the
     * last ':', the options (possibly empty) in between.
     */
    public static Scenario parseAdd(String text) {
        int eq = text.indexOf('=');
        int colon = text.lastIndexOf(':');
        if (eq <= 0 || colon < eq) {
            throw new IllegalArgumentException(
                    "--add: '"
                            + text
                            + "' is not NAME='OPTIONS':benign|hostile"
                            + " (e.g. slow-reads='--delay read:5ms':benign)");
        }
        String name = text.substring(0, eq).trim();
        String options = text.substring(eq + 1, colon).trim();
        Kind kind;
        try {
            kind = Kind.parse(text.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--add: '" + text + "': " + e.getMessage(), e);
        }
        try {
            return new Scenario(name, options, kind, "added with --add");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--add: '" + text + "': " + e.getMessage(), e);
        }
    }
}
