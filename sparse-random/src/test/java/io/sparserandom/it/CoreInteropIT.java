package io.sparserandom.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.device.IoFlags;
import io.sparserandom.generator.DiskParams;
import io.sparserandom.generator.SparseRandomDisk;
import io.sparserandom.testsupport.Interop;
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
 * The core issue end to end: the packaged command line against the real nbdcopy, qemu-img, nbdinfo,
 * libnbd.
 */
class CoreInteropIT {
    private static final Duration LONG = Duration.ofMinutes(5);
    private static final Duration SHORT = Duration.ofMinutes(1);

    @Test
    void nbdcopySelfCopyOf64GPasses() throws Exception {
        Interop.require("nbdcopy");
        Result r =
                Cli.run(
                        LONG,
                        "64G",
                        "seed=1",
                        "--check-complete",
                        "--run",
                        "nbdcopy \"$uri\" \"$uri\"");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stderr().contains("verdict: PASS"), r.toString());
    }

    @Test
    void qemuImgConvertSelfCopyOf16GPasses() throws Exception {
        Interop.require("qemu-img");
        Result r =
                Cli.run(
                        LONG,
                        "16G",
                        "seed=7",
                        "--check-complete",
                        "--run",
                        "qemu-img convert -n -f raw -O raw \"$uri\" \"$uri\"");
        assertEquals(0, r.exit(), r.toString());
    }

    @Test
    void nbdinfoSeesSizeAndFlags() throws Exception {
        Interop.require("nbdinfo");
        Result r = Cli.run(SHORT, "1T", "seed=2", "--run", "nbdinfo --json \"$uri\"");
        assertEquals(0, r.exit(), r.toString());
        String json = r.stdout().replaceAll("\\s", "");
        assertTrue(json.contains("\"export-size\":1099511627776"), json);
        assertTrue(json.contains("\"is_read_only\":false"), json);
        assertTrue(json.contains("\"can_multi_conn\":true"), json);
        assertTrue(json.contains("\"can_zero\":true"), json);
        assertTrue(json.contains("\"can_trim\":true"), json);
        assertTrue(json.contains("\"can_flush\":true"), json);
        assertTrue(json.contains("\"can_fua\":true"), json);
        assertTrue(json.contains("\"can_fast_zero\":true"), json);
        assertTrue(json.contains("\"can_df\":true"), json);
        assertTrue(json.contains("\"can_cache\":true"), json);
        assertTrue(json.contains("base:allocation"), json);
    }

    @Test
    void readOnlyExportSaysSo() throws Exception {
        Interop.require("nbdinfo");
        Result r = Cli.run(SHORT, "1G", "seed=2", "-r", "--run", "nbdinfo --json \"$uri\"");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(
                r.stdout().replaceAll("\\s", "").contains("\"is_read_only\":true"), r.toString());
    }

    private static final Pattern MAP_LINE =
            Pattern.compile("^\\s*(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(.*)$");

    @Test
    void nbdinfoMapMatchesTheGeneratorsRuns() throws Exception {
        Interop.require("nbdinfo");
        String[] params = {"4G", "seed=3", "runlength=1M"};
        List<String> args = new ArrayList<>(List.of(params));
        args.addAll(List.of("--run", "nbdinfo --map \"$uri\""));
        Result r = Cli.run(SHORT, args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.toString());

        SparseRandomDisk disk =
                SparseRandomDisk.create(
                        new DiskParams(4L << 30, 3, 10, 1 << 20, false, DiskParams.Model.DEFAULT));
        List<long[]> expected = new ArrayList<>();
        long[] pos = {0};
        while (pos[0] < disk.size()) {
            disk.extents(
                    pos[0],
                    disk.size() - pos[0],
                    (len, type) -> {
                        long n = Math.min(len, disk.size() - pos[0]);
                        int state = (type & IoFlags.EXTENT_HOLE) != 0 ? 3 : 0;
                        if (!expected.isEmpty() && expected.get(expected.size() - 1)[2] == state) {
                            expected.get(expected.size() - 1)[1] += n;
                        } else {
                            expected.add(new long[] {pos[0], n, state});
                        }
                        pos[0] += n;
                        return true;
                    });
        }
        List<long[]> actual = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            Matcher m = MAP_LINE.matcher(line);
            if (m.matches()) {
                actual.add(
                        new long[] {
                            Long.parseLong(m.group(1)),
                            Long.parseLong(m.group(2)),
                            Long.parseLong(m.group(3))
                        });
            }
        }
        assertTrue(expected.size() > 10, "the disk should have many runs");
        assertEquals(expected.size(), actual.size(), r.stdout());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "extent " + i);
        }
    }

    @Test
    void libnbdReadsWritesAndErrors(@TempDir Path dir) throws Exception {
        Interop.pythonNbd();
        Path script = Cli.script("libnbd_checks.py", dir);
        Result r =
                Cli.run(
                        SHORT,
                        "8G",
                        "seed=4",
                        "runlength=1M",
                        "--run",
                        "LIBNBD_DEBUG=1 " + Interop.PYTHON + " " + script);
        // The script's deliberate bad writes are rejected, so the verdict is 3 even though it exits
        // 0.
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.stdout().contains("OK"), r.toString());
        assertTrue(
                r.stderr().contains("structured error server message: data mismatch at offset 0x"),
                "libnbd receives the server's message in a structured error chunk: " + r);
        assertTrue(r.stderr().contains("rejected requests:    2"), r.toString());
    }

    @Test
    void libnbdOnAReadOnlyExportGetsEperm(@TempDir Path dir) throws Exception {
        Interop.pythonNbd();
        Path script = Cli.script("libnbd_checks.py", dir);
        Result r =
                Cli.run(
                        SHORT,
                        "8G",
                        "seed=4",
                        "runlength=1M",
                        "-r",
                        "--run",
                        Interop.PYTHON + " " + script + " readonly");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("OK"), r.toString());
    }

    @Test
    void aCorruptSourceMakesNbdcopyAndTheRunFail(@TempDir Path dir) throws Exception {
        Interop.require("nbdcopy");
        Path img = dir.resolve("disk.img");
        // Copy out, flip one byte of data, copy back in: the server must refuse and nbdcopy must
        // fail.
        Result out =
                Cli.run(
                        SHORT,
                        "256M",
                        "seed=9",
                        "runlength=1M",
                        "percent=50",
                        "--run",
                        "nbdcopy \"$uri\" " + img);
        assertEquals(0, out.exit(), out.toString());
        byte[] bytes = Files.readAllBytes(img);
        int at = -1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                at = i;
                break;
            }
        }
        assertTrue(at >= 0, "the disk has data");
        bytes[at + 1] ^= 0x40;
        Files.write(img, bytes);
        Result in =
                Cli.run(
                        SHORT,
                        "256M",
                        "seed=9",
                        "runlength=1M",
                        "percent=50",
                        "--run",
                        "nbdcopy " + img + " \"$uri\"");
        assertNotEquals(0, in.exit(), in.toString());
        assertTrue(
                in.stderr().contains("data mismatch at offset 0x" + Long.toHexString(at + 1)),
                in.toString());
    }

    @Test
    void tcpWorksAndTheUriSaysSo() throws Exception {
        Interop.require("nbdinfo");
        Result r =
                Cli.run(
                        SHORT,
                        "1G",
                        "seed=1",
                        "-p",
                        "0",
                        "--run",
                        "echo \"URI=$uri PORT=$port\"; nbdinfo --size \"$uri\"");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(
                r.stdout()
                        .matches(
                                "(?s)URI=nbd://127\\.0\\.0\\.1:(\\d+)/ PORT=\\1\\s+1073741824\\s*"),
                r.stdout());
    }

    @Test
    void theRunCommandsStatusIsOurs() throws Exception {
        Result r = Cli.run(SHORT, "1G", "--run", "test -S \"$unixsocket\" && exit 7");
        assertEquals(7, r.exit(), r.toString());
        assertTrue(r.stderr().matches("(?s).*seed=\\d+.*"), "a random seed is printed: " + r);
    }

    @Test
    void compatModeServesNbdkitsBytes(@TempDir Path dir) throws Exception {
        Interop.requireAll("nbdkit", "nbdcopy");
        Path ours = dir.resolve("ours.img");
        Path theirs = dir.resolve("theirs.img");
        Result r =
                Cli.run(
                        SHORT,
                        "64M",
                        "seed=5",
                        "percent=50",
                        "runlength=64K",
                        "compat=nbdkit",
                        "--run",
                        "nbdcopy \"$uri\" " + ours);
        assertEquals(0, r.exit(), r.toString());
        Process p =
                new ProcessBuilder(
                                "nbdkit",
                                "-U",
                                "-",
                                "sparse-random",
                                "size=64M",
                                "seed=5",
                                "percent=50",
                                "runlength=65536",
                                "--run",
                                "nbdcopy \"$uri\" " + theirs)
                        .inheritIO()
                        .start();
        assertEquals(0, p.waitFor());
        assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(ours));
    }
}
