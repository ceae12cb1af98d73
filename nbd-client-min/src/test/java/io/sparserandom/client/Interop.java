package io.sparserandom.client;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Interop tests call {@link #require} for each external tool. With {@code -Dinterop.required=true}
 * (CI) a missing tool is a failure; otherwise the test is skipped.
 */
public final class Interop {
    private Interop() {}

    public static void require(String tool) {
        boolean found = find(tool) != null;
        if (Boolean.getBoolean("interop.required")) {
            if (!found) {
                throw new AssertionError(tool + " is required (interop.required=true) but not found on PATH");
            }
        } else {
            Assumptions.assumeTrue(found, tool + " not installed");
        }
    }

    public static Path find(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
