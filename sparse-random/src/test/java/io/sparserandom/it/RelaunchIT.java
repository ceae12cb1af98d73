package io.sparserandom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs.Result;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * nbdkit's random content (compat=nbdkit) runs in a JVM with the Vector API (started again by the
 * command itself), so only those runs print the JVM's incubator warning, once; our own random
 * content fills as fast without it. Runs with 10 GiB of data or more, or random content, start
 * again with C2; smaller ones stay on the launcher's C1 alone. The copy is verified either way.
 */
class RelaunchIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";

    @Test
    void nbdkitRandomContentIsCopiedInAJvmWithTheVectorModule() throws Exception {
        Interop.require("nbdcopy");
        Result r =
                Cli.run(
                        TIMEOUT,
                        "256M",
                        "seed=3",
                        "compat=nbdkit",
                        "random-content=true",
                        "--check-complete",
                        "--run",
                        "nbdcopy \"$uri\" \"$uri\"");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(1, r.stderr().split(WARNING, -1).length - 1, r.toString());
        assertTrue(r.stderr().contains("verdict: PASS"), r.toString());
    }

    @Test
    void ourRandomContentStartsOnceWithoutTheWarning() throws Exception {
        Interop.require("nbdcopy");
        Result r =
                Cli.run(
                        TIMEOUT,
                        "4G",
                        "seed=3",
                        "random-content=true",
                        "--check-complete",
                        "--run",
                        "nbdcopy \"$uri\" \"$uri\"");
        assertEquals(0, r.exit(), r.toString());
        assertFalse(r.stderr().contains(WARNING), r.toString());
        assertTrue(r.stderr().contains("verdict: PASS"), r.toString());
    }

    @Test
    void theToolStatusComesBackThroughTheRelaunch() throws Exception {
        Result r =
                Cli.run(TIMEOUT, "64M", "compat=nbdkit", "random-content=true", "--run", "exit 7");
        assertEquals(7, r.exit(), r.toString());
    }

    @Test
    void otherRunsStartOnceWithoutTheWarning() throws Exception {
        Result r = Cli.run(TIMEOUT, "64M", "seed=3", "--run", "true");
        assertEquals(0, r.exit(), r.toString());
        assertFalse(r.stderr().contains(WARNING), r.toString());
    }

    /** The server's own command line, as its --run command's parent process sees it. */
    private static final String SERVER_COMMAND_LINE = "tr '\\0' '\\n' </proc/$PPID/cmdline";

    @Test
    void largeDisksAreServedWithC2() throws Exception {
        Result r = Cli.run(TIMEOUT, "1T", "seed=3", "--run", SERVER_COMMAND_LINE);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(4, tieredStopAtLevel(r.stdout()), r.toString());
    }

    @Test
    void randomContentIsServedWithC2() throws Exception {
        Result r = Cli.run(TIMEOUT, "64M", "random-content=true", "--run", SERVER_COMMAND_LINE);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(4, tieredStopAtLevel(r.stdout()), r.toString());
    }

    @Test
    void smallDisksAreServedWithC1Alone() throws Exception {
        Result r = Cli.run(TIMEOUT, "8G", "seed=3", "--run", SERVER_COMMAND_LINE);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(1, tieredStopAtLevel(r.stdout()), r.toString());
    }

    /** The last -XX:TieredStopAtLevel= on a JVM's command line (the one that counts), or -1. */
    private static int tieredStopAtLevel(String commandLine) {
        int level = -1;
        for (String word : commandLine.split("\n")) {
            if (word.startsWith("-XX:TieredStopAtLevel=")) {
                level = Integer.parseInt(word.substring("-XX:TieredStopAtLevel=".length()).trim());
            }
        }
        return level;
    }
}
