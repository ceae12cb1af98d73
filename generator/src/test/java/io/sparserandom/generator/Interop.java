package io.sparserandom.generator;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real tools for interop tests. When the system property {@code interop.required} is "true" (CI)
 * a missing tool fails the test; otherwise the test is skipped.
 */
final class Interop {
    private Interop() {}

    static void require(String... tools) {
        for (String tool : tools) {
            if (find(tool) == null) {
                String msg = tool + " is not installed (needed by this interop test)";
                if (Boolean.getBoolean("interop.required")) {
                    Assertions.fail(msg + " and interop.required=true");
                }
                Assumptions.abort(msg);
            }
        }
    }

    static Path find(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
