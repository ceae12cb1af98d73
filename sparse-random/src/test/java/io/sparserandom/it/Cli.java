package io.sparserandom.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs the packaged command line (target/sparse-random.jar) as a real process. */
public final class Cli {
    private Cli() {}

    public record Result(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("sparse-random.jar", "target/sparse-random.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            fail("the packaged jar is missing: " + jar + " (integration tests run after 'package', in 'mvn verify')");
        }
        return jar;
    }

    public static Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        return run(timeout, null, args);
    }

    public static Result run(Duration timeout, Path workDir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("java", "-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1",
                "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Dio.netty.tryReflectionSetAccessible=true",
                "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("sr-out", ".txt");
        Path err = Files.createTempFile("sr-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("timed out after " + timeout + ": " + String.join(" ", args) + "\n" + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** A test resource script copied to a file, for --run commands. */
    public static Path script(String name, Path dir) throws IOException {
        Path target = dir.resolve(name);
        try (var in = Cli.class.getResourceAsStream("/scripts/" + name)) {
            if (in == null) {
                fail("missing test script " + name);
            }
            Files.copy(in, target);
        }
        return target;
    }
}
