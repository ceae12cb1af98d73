package io.sparserandom.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The options every sparse-random JVM runs with, kept in one file, jvm.options (next to this
 * class): bin/sparse-random hands it to java as an @argfile, and the runner starts the built-in
 * copier with the same list.
 */
public final class JvmOptions {
    private JvmOptions() {}

    /**
     * The options in order: the argfile's words, comments ('#' to the end of the line) left out.
     */
    public static List<String> load() {
        return load("jvm.options");
    }

    /**
     * What the built-in copier adds to {@link #load()} (see copier.options): its own heap,
     * collector and JIT settings. Given after {@link #load()}, so that its options win.
     */
    public static List<String> copier() {
        return load("copier.options");
    }

    /** What random content adds to {@link #load()}: the Vector API module (see vector.options). */
    public static List<String> vector() {
        return load("vector.options");
    }

    /**
     * What a run with much data or random content adds to {@link #load()}: C2 on top of C1 (see
     * jit.options).
     */
    public static List<String> fullJit() {
        return load("jit.options");
    }

    private static List<String> load(String name) {
        try (InputStream in = JvmOptions.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The subset of java's argfile syntax the file uses: words split by white space, no quotes. */
    static List<String> parse(String text) {
        List<String> options = new ArrayList<>();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            String content = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (content.contains("\"") || content.contains("'")) {
                throw new IllegalStateException("jvm.options: quotes are not supported: " + line);
            }
            for (String word : content.split("\\s+")) {
                if (!word.isEmpty()) {
                    options.add(word);
                }
            }
        }
        return List.copyOf(options);
    }
}
