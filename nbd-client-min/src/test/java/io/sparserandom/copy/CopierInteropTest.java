package io.sparserandom.copy;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.Unpooled;
import io.sparserandom.client.NbdClient;
import io.sparserandom.client.NbdClientOptions;
import io.sparserandom.client.NbdException;
import io.sparserandom.client.NbdUri;
import io.sparserandom.protocol.NbdErrno;
import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.ServerProcess;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copier against real servers; nbdcopy's copy of the same source is the reference. */
class CopierInteropTest {
    @TempDir Path dir;

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static void nbdcopy(String src, Path dst) throws Exception {
        Interop.require("nbdcopy");
        Process p = new ProcessBuilder("nbdcopy", src, dst.toString()).inheritIO().start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nbdcopy finished");
        assertEquals(0, p.exitValue(), "nbdcopy exit status");
    }

    CopyResult copy(String src, String dst, CopyOptions base) throws CopyException {
        CopyOptions o =
                new CopyOptions(
                        src,
                        dst,
                        base.connections(),
                        base.requests(),
                        base.requestSize(),
                        base.extents(),
                        base.targetIsZero(),
                        base.flush(),
                        false);
        // The plan is resolved before any I/O: it must describe a real disk.
        return new Copier(o).run(plan -> assertTrue(plan.size() > 0, "plan size " + plan.size()));
    }

    void assertSameAsNbdcopy(ServerProcess s, CopyOptions o) throws Exception {
        Path ours = dir.resolve("ours.img");
        Path ref = dir.resolve("ref.img");
        CopyResult r = copy(s.uri(), ours.toString(), o);
        nbdcopy(s.uri(), ref);
        assertEquals(Files.size(ref), Files.size(ours));
        assertEquals(sha256(ref), sha256(ours));
        assertEquals(r.size(), r.bytesCopied() + r.bytesZeroed());
        Files.delete(ours);
        Files.delete(ref);
    }

    @Test
    void sparseRandomToFileMatchesNbdcopy() throws Exception {
        try (ServerProcess s = ServerProcess.nbdkit(dir, "sparse-random", "1G", "seed=3")) {
            CopyOptions o = CopyOptions.defaults("", "");
            Path ours = dir.resolve("ours.img");
            CopyResult r = copy(s.uri(), ours.toString(), o);
            assertTrue(r.bytesZeroed() > r.bytesCopied(), "mostly holes: " + r.summary());
            assertTrue(r.bytesCopied() > 0);
            Path ref = dir.resolve("ref.img");
            nbdcopy(s.uri(), ref);
            assertEquals(sha256(ref), sha256(ours));
        }
    }

    @Test
    void patternToFileMatchesNbdcopyWithAndWithoutExtents() throws Exception {
        try (ServerProcess s = ServerProcess.nbdkit(dir, "pattern", "64M")) {
            assertSameAsNbdcopy(s, CopyOptions.defaults("", ""));
            assertSameAsNbdcopy(s, new CopyOptions("", "", 2, 8, 65536, false, false, true, false));
        }
    }

    @Test
    void memoryToFileMatchesNbdcopy() throws Exception {
        try (ServerProcess s = ServerProcess.nbdkit(dir, "memory", "64M")) {
            try (NbdClient c = NbdClient.connect(NbdUri.unix(s.socket(), ""))) {
                Random rnd = new Random(5);
                for (int i = 0; i < 20; i++) {
                    byte[] b = new byte[1 + rnd.nextInt(300_000)];
                    rnd.nextBytes(b);
                    c.pwrite(rnd.nextInt(60 << 20), Unpooled.wrappedBuffer(b), false);
                }
            }
            assertSameAsNbdcopy(s, CopyOptions.defaults("", ""));
        }
    }

    @Test
    void qemuNbdRawFileCopiesExactly() throws Exception {
        Path raw = dir.resolve("disk.raw");
        Random rnd = new Random(9);
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(48 << 20);
            for (int i = 0; i < 12; i++) {
                byte[] b = new byte[1 + rnd.nextInt(1 << 20)];
                rnd.nextBytes(b);
                f.seek(rnd.nextInt(47 << 20));
                f.write(b);
            }
        }
        String want = sha256(raw);
        try (ServerProcess s = ServerProcess.qemuNbd(dir, raw)) {
            Path ours = dir.resolve("ours.img");
            copy(s.uri(), ours.toString(), CopyOptions.defaults("", ""));
            assertEquals(want, sha256(ours));
            nbdcopy(s.uri(), dir.resolve("ref.img"));
            assertEquals(want, sha256(dir.resolve("ref.img")));
        }
    }

    @Test
    void selfCopyThroughNbdkitSparseRandomVerifies() throws Exception {
        try (ServerProcess s = ServerProcess.nbdkit(dir, "sparse-random", "1G", "seed=3")) {
            CopyResult r = copy(s.uri(), s.uri(), CopyOptions.defaults("", ""));
            assertEquals(1L << 30, r.size());
            assertTrue(r.bytesCopied() > 0);
        }
    }

    /** The direct data path with each reply format nbdkit speaks (it has no extended headers). */
    @Test
    void directSelfCopyThroughNbdkitVerifiesWithSimpleAndStructuredReplies() throws Exception {
        try (ServerProcess s = ServerProcess.nbdkit(dir, "sparse-random", "512M", "seed=6")) {
            for (NbdClientOptions client :
                    List.of(
                            NbdClientOptions.DEFAULTS,
                            NbdClientOptions.DEFAULTS.withStructuredReplies(false))) {
                CopyOptions o =
                        new CopyOptions(
                                s.uri(), s.uri(), null, 32, 256 << 10, false, false, true, false);
                CopyResult r = new Copier(o, true, client).run(plan -> {});
                assertEquals(512L << 20, r.bytesCopied(), r.summary());
            }
        }
    }

    /** Without WRITE_ZEROES (nbdkit's nozero filter) holes are written as zeroes, and verify. */
    @Test
    void directCopyWithoutWriteZeroesWritesZeroes() throws Exception {
        try (ServerProcess s =
                ServerProcess.nbdkit(dir, "--filter=nozero", "sparse-random", "256M", "seed=5")) {
            CopyResult r =
                    new Copier(
                                    CopyOptions.defaults(s.uri(), s.uri()),
                                    true,
                                    NbdClientOptions.DEFAULTS)
                            .run(plan -> {});
            assertTrue(r.bytesZeroed() > 0, r.summary());
            assertEquals(256L << 20, r.bytesCopied() + r.bytesZeroed(), r.summary());
        }
    }

    @Test
    void readErrorFromNbdkitFailsTheDirectCopy() throws Exception {
        try (ServerProcess s =
                ServerProcess.nbdkit(
                        dir,
                        "--filter=error",
                        "sparse-random",
                        "256M",
                        "seed=3",
                        "error-pread=EIO",
                        "error-pread-rate=100%")) {
            CopyException e =
                    assertThrows(
                            CopyException.class,
                            () ->
                                    new Copier(
                                                    CopyOptions.defaults(s.uri(), s.uri()),
                                                    true,
                                                    NbdClientOptions.DEFAULTS)
                                            .run(plan -> {}));
            NbdException cause = assertInstanceOf(NbdException.class, e.getCause());
            assertEquals(NbdErrno.EIO, cause.errno());
            assertTrue(e.getMessage().contains("READ"), e.getMessage());
        }
    }

    @Test
    void holesAcrossRangesBecomeBigZeroRequests() throws Exception {
        // nbdkit's log filter records every request; the 4G disk is mostly holes far longer than
        // one 128 MiB work range.
        Path log = dir.resolve("nbdkit.log");
        try (ServerProcess s =
                ServerProcess.nbdkit(
                        dir, "--filter=log", "sparse-random", "4G", "seed=3", "logfile=" + log)) {
            copy(s.uri(), s.uri(), CopyOptions.defaults("", ""));
        }
        long biggest = 0;
        int zeroes = 0;
        for (String line : Files.readAllLines(log)) {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile(
                                    " Zero id=\\d+ offset=0x[0-9a-f]+ count=0x([0-9a-f]+)")
                            .matcher(line);
            if (m.find()) {
                zeroes++;
                biggest = Math.max(biggest, Long.parseLong(m.group(1), 16));
            }
        }
        assertTrue(zeroes > 0);
        assertTrue(biggest > CopyPlan.DEFAULT_WORK_RANGE, "largest zero request " + biggest);
        assertTrue(biggest <= 1L << 31, "largest zero request " + biggest);
    }

    @Test
    void wrongDataFailsTheCopy() throws Exception {
        // Different seeds: the target rejects the data with EIO, and the copy must fail, not hang.
        try (ServerProcess a = ServerProcess.nbdkit(dir, "sparse-random", "256M", "seed=3");
                ServerProcess b = ServerProcess.nbdkit(dir, "sparse-random", "256M", "seed=4")) {
            CopyException e =
                    assertThrows(
                            CopyException.class,
                            () -> copy(a.uri(), b.uri(), CopyOptions.defaults("", "")));
            NbdException cause = assertInstanceOf(NbdException.class, e.getCause());
            assertEquals(NbdErrno.EIO, cause.errno());
            assertTrue(e.getMessage().contains("WRITE"), e.getMessage());
        }
    }

    @Test
    void fileToNbdToFileRoundTrip() throws Exception {
        Path src = dir.resolve("src.img");
        byte[] b = new byte[5 << 20];
        new Random(2).nextBytes(b);
        Files.write(src, b);
        try (ServerProcess s = ServerProcess.nbdkit(dir, "memory", "5M")) {
            copy(src.toString(), s.uri(), CopyOptions.defaults("", ""));
            Path back = dir.resolve("back.img");
            copy(s.uri(), back.toString(), CopyOptions.defaults("", ""));
            assertEquals(sha256(src), sha256(back));
        }
    }

    @Test
    void holesOverwriteAnExistingTargetFile() throws Exception {
        byte[] data = new byte[300_000];
        new Random(8).nextBytes(data);
        Path dst = dir.resolve("old.img");
        byte[] junk = new byte[8 << 20];
        java.util.Arrays.fill(junk, (byte) 0x5a);
        Files.write(dst, junk);
        try (ServerProcess s = ServerProcess.nbdkit(dir, "memory", "8M")) {
            try (NbdClient c = NbdClient.connect(NbdUri.unix(s.socket(), ""))) {
                c.pwrite(3 << 20, Unpooled.wrappedBuffer(data), false);
            }
            CopyResult r = copy(s.uri(), dst.toString(), CopyOptions.defaults("", ""));
            assertTrue(r.bytesZeroed() > 0, r.summary());
        }
        byte[] want = new byte[8 << 20];
        System.arraycopy(data, 0, want, 3 << 20, data.length);
        assertArrayEquals(want, Files.readAllBytes(dst));
    }

    @Test
    void badUriIsAnArgumentError() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        copy(
                                "nbds://host/x",
                                dir.resolve("x").toString(),
                                CopyOptions.defaults("", "")));
    }

    @Test
    void missingServerIsACopyError() {
        CopyException e =
                assertThrows(
                        CopyException.class,
                        () ->
                                copy(
                                        "nbd+unix:///?socket=" + dir.resolve("nope"),
                                        dir.resolve("x").toString(),
                                        CopyOptions.defaults("", "")));
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
    }
}
