package io.sparserandom.reports;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds real programs for integration tests: a missing one fails under -Dinterop.required=true, else skips. */
final class Interop {

  private Interop() {
  }

  /** The absolute path of {@code program} on PATH; fails or skips the test when it is missing. */
  static Path require(String program) {
    Optional<Path> found = find(program);
    if (found.isEmpty()) {
      String message = program + " is not installed (not on PATH)";
      if (Boolean.getBoolean("interop.required")) {
        fail(message + " and interop.required=true");
      }
      assumeTrue(false, message + "; skipping");
    }
    return found.get();
  }

  static Optional<Path> find(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
