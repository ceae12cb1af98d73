package io.sparserandom.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real programs an interop test drives (nbdkit, nbdcopy, nbdinfo, qemu-img, openssl, chromium,
 * python3 with the libnbd bindings). A missing program skips the test on a developer machine and
 * fails it when the system property {@value #REQUIRED} is "true" (CI sets it, see the root pom's
 * {@code ci} profile): a green CI must mean the programs ran.
 */
public final class Interop {
    private Interop() {}

    /** The system property that turns a missing program from a skip into a failure. */
    public static final String REQUIRED = "interop.required";

    /** Debian's python, where the libnbd bindings load (not whatever python3 is first on PATH). */
    public static final String PYTHON = "/usr/bin/python3";

    public static boolean required() {
        return Boolean.parseBoolean(System.getProperty(REQUIRED, "false"));
    }

    /**
     * The program's path: {@code tool} is an absolute path, or a name looked up on PATH. Skips the
     * test, or fails it under {@value #REQUIRED}=true, when it is missing.
     */
    public static Path require(String tool) {
        Optional<Path> found = find(tool);
        if (found.isEmpty()) {
            missing(tool + " is not installed (needed by this interop test)");
        }
        return found.get();
    }

    /** {@link #require} for each tool. */
    public static void requireAll(String... tools) {
        for (String tool : tools) {
            require(tool);
        }
    }

    /**
     * {@link #PYTHON}, after checking that it imports the libnbd bindings (skip or fail as above).
     */
    public static Path pythonNbd() {
        Path python = require(PYTHON);
        Programs.Result r;
        try {
            r = Programs.run(Duration.ofSeconds(60), python.toString(), "-c", "import nbd");
        } catch (IOException e) {
            return Assertions.fail(e);
        }
        if (r.exit() != 0) {
            missing(
                    "python3-libnbd is not installed ("
                            + PYTHON
                            + " cannot import nbd): "
                            + r.stderr().strip());
        }
        return python;
    }

    /**
     * An executable file: {@code tool} itself when it is an absolute path, else the first on PATH.
     */
    public static Optional<Path> find(String tool) {
        if (tool.startsWith("/")) {
            return executable(Path.of(tool));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Optional<Path> p = executable(Path.of(dir, tool));
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> executable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }

    private static void missing(String message) {
        if (required()) {
            Assertions.fail(message + " and " + REQUIRED + "=true");
        }
        Assumptions.abort(message + ": skipped");
    }
}
