package io.sparserandom.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/** Runs a program to completion with a timeout and hands back its exit status and output. */
public final class Programs {
    private Programs() {}

    public record Result(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    public static Result run(Duration timeout, String... command) throws IOException {
        return run(timeout, null, List.of(command));
    }

    /**
     * Runs {@code command} in {@code workDir} (null: this process's). Output goes to temporary
     * files, not pipes, so a chatty program cannot block on a full pipe. On timeout the program and
     * its children are killed and the test fails with what it wrote to stderr.
     */
    public static Result run(Duration timeout, Path workDir, List<String> command)
            throws IOException {
        Path out = Files.createTempFile("program-out", ".txt");
        Path err = Files.createTempFile("program-err", ".txt");
        try {
            ProcessBuilder pb =
                    new ProcessBuilder(command)
                            .redirectOutput(out.toFile())
                            .redirectError(err.toFile());
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            Process p = pb.start();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill(p);
                    Assertions.fail(
                            "timed out after "
                                    + timeout
                                    + ": "
                                    + String.join(" ", command)
                                    + "\n"
                                    + Files.readString(err, StandardCharsets.UTF_8));
                }
            } catch (InterruptedException e) {
                kill(p);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + command, e);
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
