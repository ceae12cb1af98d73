package io.sparserandom.server;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Tests that need a real program ask here first. When the system property {@code interop.required}
 * is "true" (CI) a missing program fails the test; otherwise the test is skipped.
 */
final class Interop {
    private Interop() {}

    /** The program's path: {@code tool} is a name looked up on PATH, or an absolute path. */
    static Path require(String tool) {
        Path found = find(tool);
        if (found == null) {
            String msg = tool + " is not installed";
            if (Boolean.parseBoolean(System.getProperty("interop.required", "false"))) {
                fail(msg + " (interop.required=true)");
            }
            Assumptions.abort(msg + ": skipped");
        }
        return found;
    }

    /** Debian's python, where the libnbd bindings load (not whatever python3 is first on PATH). */
    static final String PYTHON = "/usr/bin/python3";

    /** {@link #PYTHON}, after checking that it can import the libnbd bindings (skip or fail as above). */
    static Path pythonNbd() {
        Path python = require(PYTHON);
        try {
            Process p = new ProcessBuilder(python.toString(), "-c", "import nbd").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                require("python3-libnbd (the bindings do not import)");
            }
        } catch (java.io.IOException e) {
            fail(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        }
        return python;
    }

    static Path find(String tool) {
        if (tool.startsWith("/")) {
            Path p = Path.of(tool);
            return Files.isExecutable(p) ? p : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
