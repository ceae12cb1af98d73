package io.sparserandom.it;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real tools the interop tests drive. A missing tool skips the test on a developer machine, but
 * fails it when {@code -Dinterop.required=true} (CI sets it): a green CI must mean the tools ran.
 */
public final class Interop {
    private Interop() {}

    /** Debian's python, where the libnbd bindings load. */
    public static final String PYTHON = "/usr/bin/python3";

    public static boolean required() {
        return Boolean.parseBoolean(System.getProperty("interop.required", "false"));
    }

    /** Skips (locally) or fails (CI) unless every tool is on PATH (or is an absolute path that exists). */
    public static void require(String... tools) {
        for (String tool : tools) {
            if (!available(tool)) {
                String msg = "required tool '" + tool + "' is not installed (see .ci/run for the packages)";
                if (required()) {
                    fail(msg);
                }
                Assumptions.abort(msg);
            }
        }
    }

    /** The python3 libnbd bindings. */
    public static void requirePythonNbd() {
        require(PYTHON);
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import nbd").redirectErrorStream(true).start();
            if (p.waitFor() != 0) {
                String msg = "python3 libnbd bindings are not installed (Debian package python3-libnbd)";
                if (required()) {
                    fail(msg);
                }
                Assumptions.abort(msg);
            }
        } catch (Exception e) {
            fail(e);
        }
    }

    static boolean available(String tool) {
        if (tool.startsWith("/")) {
            return Files.isExecutable(Path.of(tool));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
