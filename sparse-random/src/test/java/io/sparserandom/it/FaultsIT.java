package io.sparserandom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs;
import io.sparserandom.testsupport.Programs.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault options against the real tools: nbdcopy, nbdinfo and python libnbd (the probes in
 * scripts/fault_probe.py), with nbdkit and its matching filter as the reference where one exists.
 */
class FaultsIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    /** A 1G disk with 78 MiB of data in 5 runs: a copy takes about a second. */
    private static final String[] DISK = {"1G", "seed=1"};

    @TempDir Path dir;

    private Result serve(String run, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(DISK));
        args.addAll(List.of(options));
        args.addAll(List.of("--verdict", dir.resolve("verdict.json").toString(), "--run", run));
        return Cli.run(TIMEOUT, args.toArray(String[]::new));
    }

    private String verdict() throws Exception {
        return Files.readString(dir.resolve("verdict.json"));
    }

    private Path probeScript;

    private String probe(String args) throws Exception {
        Interop.pythonNbd();
        if (probeScript == null) {
            probeScript = Cli.script("fault_probe.py", dir);
        }
        return Interop.PYTHON + " " + probeScript + " " + args;
    }

    private static String value(String name, String text) {
        Matcher m = Pattern.compile("(?m)^" + name + "=(.*)$").matcher(text);
        assertTrue(m.find(), name + " missing in: " + text);
        return m.group(1).strip();
    }

    private static long jsonLong(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\": (\\d+)").matcher(json);
        assertTrue(m.find(), field + " missing in " + json);
        return Long.parseLong(m.group(1));
    }

    @Test
    void nbdcopyFailsLoudlyUnderReadErrorsAndTheVerdictCountsThem() throws Exception {
        Interop.require("nbdcopy");
        Result r = serve("nbdcopy \"$uri\" \"$uri\"", "--error", "read:100%");
        assertNotEquals(0, r.exit(), r.toString());
        String json = verdict();
        Matcher m = Pattern.compile("\"injected_errors\": \\{\"read\": (\\d+)\\}").matcher(json);
        assertTrue(m.find(), json);
        assertTrue(Long.parseLong(m.group(1)) > 0, json);
        assertEquals(0, jsonLong(json, "rejected_count"), "injected errors are not rejections");
        assertTrue(r.stderr().contains("injected errors:"), r.stderr());

        // nbdkit's error filter on its sparse-random plugin: nbdcopy fails there too.
        Interop.require("nbdkit");
        Result ref =
                Programs.run(
                        TIMEOUT,
                        "nbdkit",
                        "-U",
                        "-",
                        "--filter=error",
                        "sparse-random",
                        "1G",
                        "seed=1",
                        "error-pread-rate=100%",
                        "error-pread=EIO",
                        "--run",
                        "nbdcopy \"$uri\" \"$uri\"");
        assertNotEquals(0, ref.exit(), ref.toString());
    }

    /**
     * The same fault seed fails the same reads whether they come one at a time on one connection or
     * 16 at a time on 8 connections, in another order; another seed fails others.
     */
    @Test
    void failedOffsetsDependOnTheSeedNotOnConcurrency() throws Exception {
        String serial =
                value("FAILED", serve(probe("failed-offsets 1 1"), "--error", "read:10%").stdout());
        String parallel =
                value(
                        "FAILED",
                        serve(probe("failed-offsets 8 16"), "--error", "read:10%").stdout());
        assertFalse(serial.isEmpty(), "10% of the data reads fail");
        assertEquals(serial, parallel);
        String other =
                value(
                        "FAILED",
                        serve(
                                        probe("failed-offsets 8 16"),
                                        "--error",
                                        "read:10%",
                                        "--fault-seed",
                                        "99")
                                .stdout());
        assertNotEquals(serial, other);
    }

    @Test
    void onceFailsTheSameReadsAndEachRetrySucceeds() throws Exception {
        String always =
                value("FAILED", serve(probe("failed-offsets 1 1"), "--error", "read:10%").stdout());
        Result r = serve(probe("failed-offsets 4 8 retry"), "--error", "read:10%:EIO:once");
        assertEquals(always, value("FAILED", r.stdout()), "the first attempts fail alike");
        assertEquals("", value("RETRY_FAILED", r.stdout()), r.toString());
    }

    @Test
    void delayedRepliesDoNotHoldUpEachOther() throws Exception {
        Result r = serve(probe("latency 8"), "--delay", "read:300ms");
        assertEquals(0, r.exit(), r.toString());
        double one = Double.parseDouble(value("ONE_MS", r.stdout()));
        double many = Double.parseDouble(value("MANY_MS", r.stdout()));
        assertTrue(one >= 295, "one read waits the delay: " + one + " ms");
        // Eight reads in flight at once: served side by side, not 8 x 300 ms one after another.
        assertTrue(many >= 295 && many < 1200, "eight reads at once took " + many + " ms");
    }

    /**
     * 256 MiB of data read and written back (512 MiB of data moved) at 64 MiB/s cannot take under 8
     * s whatever the machine; a busy machine only makes it slower.
     */
    @Test
    void rateCapsEveryConnectionTogether() throws Exception {
        Interop.require("nbdcopy");
        List<String> args =
                List.of(
                        "256M",
                        "seed=1",
                        "percent=100",
                        "--rate",
                        "64M",
                        "--check-complete",
                        "--verdict",
                        dir.resolve("verdict.json").toString(),
                        "--run",
                        "nbdcopy \"$uri\" \"$uri\"");
        Result r = Cli.run(TIMEOUT, args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.toString());
        Matcher m = Pattern.compile("\"elapsed_seconds\": ([0-9.]+)").matcher(verdict());
        assertTrue(m.find());
        double seconds = Double.parseDouble(m.group(1));
        assertTrue(seconds >= 7.9, "512 MiB at 64 MiB/s took only " + seconds + " s");
    }

    @Test
    void blockSizesAreAdvertisedAndEnforced() throws Exception {
        Interop.require("nbdinfo");
        Result info = serve("nbdinfo \"$uri\"", "--block-size", "4K:64K:1M");
        assertTrue(info.stdout().contains("block_size_minimum: 4096"), info.toString());
        assertTrue(info.stdout().contains("block_size_preferred: 65536"), info.toString());
        assertTrue(info.stdout().contains("block_size_maximum: 1048576"), info.toString());

        Result error = serve(probe("unaligned"), "--block-size", "4K:64K:1M");
        assertEquals("EINVAL", value("SMALL", error.stdout()), error.toString());
        assertEquals("EINVAL", value("MISALIGNED", error.stdout()), error.toString());
        assertEquals("EINVAL", value("LARGE", error.stdout()), error.toString());

        // nbdkit's blocksize-policy filter answers the same three requests alike.
        Interop.require("nbdkit");
        Result ref =
                Programs.run(
                        TIMEOUT,
                        "nbdkit",
                        "-U",
                        "-",
                        "--filter=blocksize-policy",
                        "sparse-random",
                        "1G",
                        "blocksize-minimum=4K",
                        "blocksize-preferred=64K",
                        "blocksize-maximum=1M",
                        "blocksize-error-policy=error",
                        "--run",
                        "uri=\"$uri\" " + probe("unaligned"));
        assertEquals(
                value("SMALL", error.stdout()) + value("LARGE", error.stdout()),
                value("SMALL", ref.stdout()) + value("LARGE", ref.stdout()),
                ref.toString());

        Result drop =
                serve(
                        probe("unaligned"),
                        "--block-size",
                        "4K:64K:1M",
                        "--block-size-policy",
                        "disconnect");
        assertEquals("ENOTCONN", value("SMALL", drop.stdout()), drop.toString());
    }

    @Test
    void nbdcopyKeepsWithinBlockSizeLimits() throws Exception {
        Interop.require("nbdcopy");
        Result r =
                serve(
                        "nbdcopy \"$uri\" \"$uri\"",
                        "--block-size",
                        "4K:64K:1M",
                        "--block-size-policy",
                        "disconnect",
                        "--check-complete");
        assertEquals(0, r.exit(), r.toString());
    }

    @Test
    void disconnectAfterDropsTheCopyOnceAndNewConnectionsWork() throws Exception {
        Interop.requireAll("nbdcopy", "nbdinfo");
        Result r =
                serve(
                        "nbdcopy \"$uri\" \"$uri\"; echo NBDCOPY=$?; nbdinfo --size \"$uri\"",
                        "--disconnect-after",
                        "20M");
        assertNotEquals("0", value("NBDCOPY", r.stdout()), r.toString());
        assertTrue(r.stdout().contains("1073741824"), "a new connection works: " + r);
    }

    @Test
    void noExtentsHidesBaseAllocationAndCopiesStillComplete() throws Exception {
        Interop.requireAll("nbdinfo", "nbdcopy");
        Result info = serve("nbdinfo \"$uri\"", "--no-extents");
        assertFalse(info.stdout().contains("base:allocation"), info.toString());
        Result copy = serve("nbdcopy \"$uri\" \"$uri\"", "--no-extents", "--check-complete");
        assertEquals(0, copy.exit(), copy.toString());
    }

    @Test
    void corruptReadsMakeASelfCopyFailWithRejectedWrites() throws Exception {
        Interop.require("nbdcopy");
        Result r = serve("nbdcopy \"$uri\" \"$uri\"", "--corrupt-reads", "1%");
        assertNotEquals(0, r.exit(), r.toString());
        assertTrue(jsonLong(verdict(), "rejected_count") > 0, verdict());
    }
}
