package io.sparserandom.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.device.Capabilities;
import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs;
import io.sparserandom.testsupport.Programs.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real tools (libnbd's nbdinfo, nbdcopy and python bindings; qemu-img) against our server. */
@Timeout(120)
class InteropTest {
    @TempDir Path dir;
    TestServer ts;

    @BeforeEach
    void start() throws Exception {
        ts = TestServer.start(dir, new MemoryDevice(16L << 20, Capabilities.all()), b -> b);
    }

    @AfterEach
    void stop() {
        ts.close();
    }

    private static Result ok(String... cmd) throws Exception {
        Result r = Programs.run(Duration.ofSeconds(90), cmd);
        assertEquals(
                0,
                r.exit(),
                Arrays.toString(cmd) + "\nstdout: " + r.stdout() + "\nstderr: " + r.stderr());
        return r;
    }

    @Test
    void nbdinfoJson() throws Exception {
        Path nbdinfo = Interop.require("nbdinfo");
        String json = ok(nbdinfo.toString(), "--json", ts.uri()).stdout();
        assertTrue(json.contains("\"export-size\": " + (16L << 20)), json);
        assertTrue(json.contains("\"protocol\": \"newstyle-fixed\""), json);
        assertTrue(json.contains("\"base:allocation\""), json);
        assertTrue(json.contains("\"block_size_preferred\": 4096"), json);
        assertTrue(json.contains("\"is_read_only\": false"), json);
    }

    @Test
    void nbdinfoMapShowsTheHoles() throws Exception {
        Path nbdinfo = Interop.require("nbdinfo");
        String map = ok(nbdinfo.toString(), "--map", ts.uri()).stdout();
        List<String> lines = map.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        // Runs: 3 data blocks then 1 hole block, repeated.
        int block = MemoryDevice.BLOCK;
        assertTrue(lines.get(0).matches("0\\s+" + 3 * block + "\\s+0\\s+data"), lines.get(0));
        assertTrue(
                lines.get(1).matches(3 * block + "\\s+" + block + "\\s+3\\s+hole,zero"),
                lines.get(1));
        assertEquals((16 << 20) / (4 * block) * 2, lines.size());
    }

    @Test
    void nbdcopyToAFileAndBack() throws Exception {
        Path nbdcopy = Interop.require("nbdcopy");
        Path file = dir.resolve("disk.img");
        ok(nbdcopy.toString(), ts.uri(), file.toString());
        byte[] img = Files.readAllBytes(file);
        assertArrayEquals(sha256(ts.device.copy(0, img.length)), sha256(img));
        // Change the file, copy it back, and the device must hold exactly the file.
        for (int i = 0; i < img.length; i += 1 << 20) {
            img[i + 5] ^= 0x5a;
        }
        Files.write(file, img);
        ok(nbdcopy.toString(), file.toString(), ts.uri());
        assertArrayEquals(sha256(img), sha256(ts.device.copy(0, img.length)));
        Path qemuImg = Interop.require("qemu-img");
        ok(qemuImg.toString(), "compare", "-f", "raw", "-F", "raw", file.toString(), ts.uri());
    }

    @Test
    void pythonLibnbdScript() throws Exception {
        Path python = Interop.pythonNbd();
        String script =
                """
                import nbd, sys
                h = nbd.NBD()
                h.add_meta_context(nbd.CONTEXT_BASE_ALLOCATION)
                h.connect_uri(sys.argv[1])
                size = h.get_size()
                assert size == 16 << 20, size
                assert h.can_zero() and h.can_trim() and h.can_flush() and h.can_fua()
                h.pwrite(b'x' * 4096, 8192)
                assert h.pread(4096, 8192) == b'x' * 4096
                h.zero(65536 * 2, 0)
                assert h.pread(65536 * 2, 0) == bytes(65536 * 2)
                h.trim(65536, 65536 * 8)
                h.flush()
                seen = []
                def cb(ctx, off, ents, err):
                    seen.append((ctx, off, list(ents)))
                h.block_status(65536 * 8, 65536 * 4, cb)  # count, offset: blocks 4..11
                assert seen[0][0] == 'base:allocation', seen
                assert seen[0][2][:4] == [65536 * 3, 0, 65536 * 2, 3], seen  # 7 hole, 8 trimmed
                for bad in (lambda: h.pread(2, size - 1), lambda: h.pwrite(b'ab', size - 1)):
                    try:
                        bad()
                        raise SystemExit('out-of-bounds request succeeded')
                    except nbd.Error as e:
                        pass
                try:
                    h.pread(1, 0, flags=0x8000)
                    raise SystemExit('unknown flag accepted')
                except nbd.Error as e:
                    assert e.errnum == 22 or 'EINVAL' in str(e) or 'flag' in str(e), e
                h.shutdown()
                print('ok')
                """;
        Path py = dir.resolve("check.py");
        Files.writeString(py, script, StandardCharsets.UTF_8);
        Result r = ok(python.toString(), py.toString(), ts.uri());
        assertEquals("ok", r.stdout().trim(), r.stderr());
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    @SuppressWarnings("unused")
    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @SuppressWarnings("unused")
    private static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
