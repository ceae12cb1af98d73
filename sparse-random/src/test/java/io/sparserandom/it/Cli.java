package io.sparserandom.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.sparserandom.testsupport.Programs;
import io.sparserandom.testsupport.Programs.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs the packaged command line (target/sparse-random.jar) as a real process. */
public final class Cli {
    private Cli() {}

    /** bin/sparse-random of the checkout whose jar the tests run. */
    public static Path launcher() {
        return jar().getParent().getParent().getParent().resolve("bin/sparse-random");
    }

    public static Path jar() {
        Path jar =
                Path.of(System.getProperty("sparse-random.jar", "target/sparse-random.jar"))
                        .toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            fail(
                    "the packaged jar is missing: "
                            + jar
                            + " (integration tests run after 'package', in 'mvn verify')");
        }
        return jar;
    }

    public static Result run(Duration timeout, String... args) throws IOException {
        return run(timeout, null, args);
    }

    public static Result run(Duration timeout, Path workDir, String... args) throws IOException {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                "java",
                                "-XX:+UseParallelGC",
                                "-XX:TieredStopAtLevel=1",
                                "--add-opens",
                                "java.base/java.nio=ALL-UNNAMED",
                                "--add-opens",
                                "java.base/jdk.internal.misc=ALL-UNNAMED",
                                "-Dio.netty.tryReflectionSetAccessible=true",
                                "-jar",
                                jar().toString()));
        cmd.addAll(List.of(args));
        return Programs.run(timeout, workDir, cmd);
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
