package io.sparserandom.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * bench's sweeps: {@code --param NAME=V1,V2,...}, repeatable, run as a cartesian product.
 *
 * <p>{@code {NAME}} is substituted in the command line's own words, before picocli parses it for
 * each point of the sweep, so every option takes part (disk parameters, tool commands, and any
 * option added later, such as fault options) without knowing about sweeps. Only declared names are
 * replaced; other braces (a shell's {@code ${x}}, {@code find -exec {}}) are left alone.
 */
final class SweepOptions {
    static final String OPTION = "--param";

    /** Stops a typo from starting a sweep of days. */
    static final int MAX_POINTS = 1000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    @Option(
            names = OPTION,
            paramLabel = "NAME=V1,V2,...",
            description =
                    "Sweep a parameter: run every tool at each value, {NAME} being replaced by it in"
                            + " tool commands, disk parameters and the other options. Repeatable:"
                            + " every combination runs.")
    List<String> specs = new ArrayList<>();

    /** The swept parameters and their values, in the order given; empty without a sweep. */
    Map<String, List<String>> parse() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        long points = 1;
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String name = eq < 0 ? spec : spec.substring(0, eq);
            if (eq < 0 || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        OPTION
                                + ": '"
                                + spec
                                + "' is not NAME=V1,V2,... (NAME: a letter or _, then letters,"
                                + " digits, _ or -)");
            }
            if (out.containsKey(name)) {
                throw new IllegalArgumentException(OPTION + ": '" + name + "' given twice");
            }
            List<String> values = List.of(spec.substring(eq + 1).split(",", -1));
            if (values.stream().anyMatch(String::isEmpty)) {
                throw new IllegalArgumentException(OPTION + ": '" + spec + "' has an empty value");
            }
            if (values.stream().distinct().count() != values.size()) {
                throw new IllegalArgumentException(OPTION + ": '" + spec + "' repeats a value");
            }
            points *= values.size();
            if (points > MAX_POINTS) {
                throw new IllegalArgumentException(
                        OPTION + ": more than " + MAX_POINTS + " combinations");
            }
            out.put(name, values);
        }
        return out;
    }

    /** Every combination, the first parameter varying slowest. */
    static List<Map<String, String>> product(Map<String, List<String>> swept) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> e : swept.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                for (String v : e.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(partial);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    /** The command line without its --param options (both "--param X" and "--param=X"). */
    static List<String> withoutSweep(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals(OPTION)) {
                i++;
            } else if (!a.startsWith(OPTION + "=")) {
                out.add(a);
            }
        }
        return out;
    }

    /** {@code {NAME}} replaced by its value, for the swept names only. */
    static String substitute(String word, Map<String, String> values) {
        Matcher m = Pattern.compile("\\{(" + NAME.pattern() + ")}").matcher(word);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            // ${NAME} is the shell's, even when NAME is swept.
            boolean shell = m.start() > 0 && word.charAt(m.start() - 1) == '$';
            String v = shell ? null : values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v != null ? v : m.group()));
        }
        return m.appendTail(out).toString();
    }

    static List<String> substitute(List<String> args, Map<String, String> values) {
        return args.stream().map(a -> substitute(a, values)).toList();
    }

    /** A usage error when a swept name appears in no word of the command line. */
    static void checkUsed(Map<String, List<String>> swept, List<String> args) {
        for (String name : swept.keySet()) {
            if (args.stream().noneMatch(a -> a.contains("{" + name + "}"))) {
                throw new IllegalArgumentException(
                        OPTION
                                + " "
                                + name
                                + ": {"
                                + name
                                + "} appears nowhere in the command line, so every value would"
                                + " run the same thing");
            }
        }
    }
}
