package io.sparserandom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.runner.JvmOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The glibc settings bin/sparse-random gives the server's JVM (and names in
 * SPARSE_RANDOM_LAUNCHER_ENV) do not reach a --run command; the server itself runs with them.
 */
@Timeout(120)
class LauncherEnvironmentIT {
    @Test
    void aRunCommandDoesNotInheritTheServersMmapThreshold() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(JvmOptions.load());
        cmd.addAll(
                List.of(
                        "-jar",
                        Cli.jar().toString(),
                        "64M",
                        "--run",
                        "echo \"tool: [$MALLOC_MMAP_THRESHOLD_] [$SPARSE_RANDOM_LAUNCHER_ENV]"
                                + " [$MALLOC_ARENA_MAX]\"; tr '\\0' '\\n' </proc/$PPID/environ"
                                + " | grep '^MALLOC_MMAP_THRESHOLD_='"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // As the launcher sets them.
        pb.environment().put("MALLOC_ARENA_MAX", "2");
        pb.environment().put("MALLOC_MMAP_THRESHOLD_", "4194304");
        pb.environment().put("SPARSE_RANDOM_LAUNCHER_ENV", "MALLOC_MMAP_THRESHOLD_");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("the run did not end: " + out);
        }
        assertEquals(0, p.exitValue(), out);
        // The tool: no threshold, the marker gone, the arenas kept.
        assertTrue(out.contains("tool: [] [] [2]"), out);
        // Its parent, the server's JVM, has the threshold.
        assertTrue(out.contains("MALLOC_MMAP_THRESHOLD_=4194304"), out);
    }
}
