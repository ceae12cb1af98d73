package io.sparserandom.runner;

import java.io.File;
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

    /**
     * The packages the jars' manifests open to us (Add-Opens), as the options a JVM needs when it
     * starts by class path, where no manifest is read: Netty's direct buffers without the cleaner.
     */
    static final List<String> OPENS =
            List.of(
                    "--add-opens",
                    "java.base/java.nio=ALL-UNNAMED",
                    "--add-opens",
                    "java.base/jdk.internal.misc=ALL-UNNAMED");

    private static final String MAIN = "io.sparserandom.cli.Main";

    /**
     * How a new JVM starts our main class, after its options: as this JVM was started. With java
     * -jar when this one was (bin/sparse-random's small jar, whose manifest names the main class
     * and the class path and opens the packages), otherwise by class path and name with {@link
     * #OPENS}. Not --add-opens for every JVM: as options they turn off the class-data archive's
     * module graph, 10-20 ms of every start (docs/performance.md, "Start-up, fifth pass").
     */
    public static List<String> mainClass() {
        return mainClass(
                System.getProperty("java.class.path"), System.getProperty("sun.java.command", ""));
    }

    /** {@link #mainClass()} for a JVM with this class path and {@code sun.java.command}. */
    static List<String> mainClass(String classPath, String javaCommand) {
        boolean jar =
                classPath.endsWith(".jar")
                        && classPath.indexOf(File.pathSeparatorChar) < 0
                        && (javaCommand.equals(classPath)
                                || javaCommand.startsWith(classPath + " "));
        if (jar) {
            return List.of("-jar", classPath);
        }
        List<String> words = new ArrayList<>(OPENS);
        words.addAll(List.of("-cp", classPath, MAIN));
        return List.copyOf(words);
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
