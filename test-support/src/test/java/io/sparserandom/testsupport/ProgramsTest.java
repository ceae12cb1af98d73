package io.sparserandom.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class ProgramsTest {
    @Test
    void exitStatusAndBothStreams(@TempDir Path dir) throws Exception {
        Programs.Result r =
                Programs.run(
                        Duration.ofMinutes(1),
                        dir,
                        List.of("/bin/sh", "-c", "pwd; echo oops >&2; exit 3"));
        assertEquals(new Programs.Result(3, dir.toRealPath() + "\n", "oops\n"), r);
    }

    @Test
    void aHangFailsTheTest() {
        AssertionFailedError e =
                assertThrows(
                        AssertionFailedError.class,
                        () ->
                                Programs.run(
                                        Duration.ofMillis(200),
                                        "/bin/sh",
                                        "-c",
                                        "echo started >&2; exec sleep 60"));
        assertTrue(e.getMessage().startsWith("timed out after PT0.2S: /bin/sh"), e.getMessage());
    }
}
