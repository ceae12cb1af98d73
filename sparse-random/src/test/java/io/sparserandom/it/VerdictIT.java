package io.sparserandom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verdict: broken copiers fail with the documented status and the bad offset; right ones pass.
 */
class VerdictIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String[] DISK = {"1G", "seed=11", "runlength=1M"};

    private static Result runCopier(Path dir, String mode, Path verdict, Path junit)
            throws Exception {
        Path script = Cli.script("copier.py", dir);
        String[] args =
                concat(
                        DISK,
                        "--check-complete",
                        "--verdict",
                        verdict.toString(),
                        "--junit",
                        junit.toString(),
                        "--run",
                        Interop.PYTHON + " " + script + " " + mode);
        return Cli.run(TIMEOUT, args);
    }

    @ParameterizedTest
    @CsvSource({"skip-last,4", "first-half,4", "flip-byte,3", "zero-run,3"})
    void brokenCopiersFailWithTheDocumentedStatus(String mode, int status, @TempDir Path dir)
            throws Exception {
        Interop.pythonNbd();
        Path verdict = dir.resolve("verdict.json");
        Path junit = dir.resolve("junit.xml");
        Result r = runCopier(dir, mode, verdict, junit);
        assertEquals(status, r.exit(), r.toString());
        Matcher m = Pattern.compile("BAD_OFFSET=(\\d+)").matcher(r.stdout());
        assertTrue(m.find(), r.toString());
        long bad = Long.parseLong(m.group(1));
        String json = Files.readString(verdict);
        assertTrue(json.contains("\"passed\": false"), json);
        assertTrue(json.contains("\"exit_status\": " + status), json);
        if (status == 4) {
            assertTrue(
                    json.contains("\"offset\": " + bad),
                    "verdict names the first missing offset " + bad + ": " + json);
            assertTrue(r.stderr().contains("0x" + Long.toHexString(bad)), r.toString());
        } else {
            assertTrue(
                    json.contains("\"offset\": " + bad),
                    "verdict names the rejected offset " + bad + ": " + json);
        }
        String xml = Files.readString(junit);
        assertTrue(xml.contains("<failure"), xml);
    }

    @Test
    void aRightCopierOverFourConnectionsInRandomOrderPasses(@TempDir Path dir) throws Exception {
        Interop.pythonNbd();
        Path verdict = dir.resolve("verdict.json");
        Result r = runCopier(dir, "random-4conn", verdict, dir.resolve("junit.xml"));
        assertEquals(0, r.exit(), r.toString());
        String json = Files.readString(verdict);
        assertTrue(json.contains("\"complete\": true"), json);
        assertTrue(json.contains("\"data_bytes_missing\": 0"), json);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "nbdcopy \"$uri\" \"$uri\"",
                "nbdcopy --connections=1 \"$uri\" \"$uri\"",
                "nbdcopy --requests=1 \"$uri\" \"$uri\"",
                "qemu-img convert -n -f raw -O raw \"$uri\" \"$uri\""
            })
    void realCopiesPassWithCheckComplete(String command, @TempDir Path dir) throws Exception {
        Interop.require(command.split(" ")[0]);
        Path verdict = dir.resolve("v.json");
        Result r =
                Cli.run(
                        TIMEOUT,
                        concat(
                                new String[] {"4G", "seed=12"},
                                "--check-complete",
                                "--verdict",
                                verdict.toString(),
                                "--run",
                                command));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(Files.readString(verdict).contains("\"complete\": true"));
    }

    @Test
    void aReadOnlyMapWithoutCheckCompletePasses() throws Exception {
        Interop.require("nbdinfo");
        Result r = Cli.run(TIMEOUT, "64G", "seed=1", "--run", "nbdinfo --map \"$uri\" >/dev/null");
        assertEquals(0, r.exit(), r.toString());
        Result strict =
                Cli.run(
                        TIMEOUT,
                        "64G",
                        "seed=1",
                        "--check-complete",
                        "--run",
                        "nbdinfo --map \"$uri\" >/dev/null");
        assertEquals(4, strict.exit(), strict.toString());
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
