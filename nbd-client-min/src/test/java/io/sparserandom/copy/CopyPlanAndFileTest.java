package io.sparserandom.copy;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.sparserandom.client.Extent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plan resolution and the local-file endpoint, without any server. */
class CopyPlanAndFileTest {
    @TempDir Path dir;

    /** Just enough of an endpoint to resolve a plan against. */
    record Caps(boolean multiConn, long maxRequest, boolean extents) implements CopyEndpoint {
        @Override
        public long size() {
            return 1L << 30;
        }

        @Override
        public String describe() {
            return "caps" + multiConn;
        }

        @Override
        public int connections() {
            return 1;
        }

        @Override
        public int extendConnections(int wanted) {
            return wanted;
        }

        @Override
        public boolean supportsMultiConn() {
            return multiConn;
        }

        @Override
        public long maxRequestLength() {
            return maxRequest;
        }

        @Override
        public long maxZeroLength() {
            return 1L << 31;
        }

        @Override
        public boolean canExtents() {
            return extents;
        }

        @Override
        public boolean blocking() {
            return false;
        }

        @Override
        public CompletableFuture<ByteBuf> read(int lane, long offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> write(int lane, long offset, ByteBuf data) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> zero(int lane, long offset, long length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Extent> extents(int lane, long offset, long length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    @Test
    void defaultsWithMultiConn() {
        CopyPlan p =
                CopyPlan.resolve(
                        CopyOptions.defaults("a", "b"),
                        new Caps(true, 1 << 25, true),
                        new Caps(true, 1 << 25, false));
        assertEquals(4, p.connections());
        assertEquals(32, p.requestsPerConnection());
        assertEquals(256 * 1024, p.requestSize());
        assertTrue(p.extents());
        assertFalse(p.targetIsZero());
        assertTrue(p.toString().contains("connections:    4"), p.toString());
    }

    @Test
    void noMultiConnMeansOneConnectionEvenWhenAsked() {
        CopyOptions o = new CopyOptions("a", "b", 8, 16, 1 << 20, true, true, true, false);
        CopyPlan p =
                CopyPlan.resolve(o, new Caps(true, 1 << 25, false), new Caps(false, 65536, true));
        assertEquals(1, p.connections());
        assertEquals(65536, p.requestSize(), "clamped to the target's maximum");
        assertFalse(p.extents(), "source cannot report extents");
        assertTrue(p.targetIsZero());
        assertTrue(p.flush());
        assertFalse(p.notes().isEmpty());
    }

    @Test
    void badOptionsAreRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new CopyOptions("a", "b", 0, 64, 1 << 18, true, false, false, false));
        assertThrows(
                IllegalArgumentException.class,
                () -> new CopyOptions("a", "b", null, 0, 1 << 18, true, false, false, false));
        assertThrows(
                IllegalArgumentException.class,
                () -> new CopyOptions("a", "b", null, 64, 1000, true, false, false, false));
        assertThrows(
                IllegalArgumentException.class,
                () -> new CopyOptions("a", "b", null, 64, 64 << 20, true, false, false, false));
    }

    @Test
    void fileToFileCreatesAndOverwrites() throws Exception {
        Path src = dir.resolve("src");
        byte[] data = new byte[(3 << 20) + 123];
        new Random(4).nextBytes(data);
        Arrays.fill(data, 1 << 20, 2 << 20, (byte) 0);
        Files.write(src, data);
        Path dst = dir.resolve("dst");
        CopyResult r =
                new Copier(
                                new CopyOptions(
                                        src.toString(),
                                        dst.toString(),
                                        3,
                                        4,
                                        65536,
                                        true,
                                        false,
                                        true,
                                        false))
                        .run(plan -> {});
        assertArrayEquals(data, Files.readAllBytes(dst));
        assertEquals(data.length, r.bytesCopied());
        // An existing, longer target with garbage: copied range is replaced, the rest is left
        // alone.
        byte[] junk = new byte[data.length + 4096];
        Arrays.fill(junk, (byte) 0x5a);
        Files.write(dst, junk);
        new Copier(CopyOptions.defaults(src.toString(), dst.toString())).run(plan -> {});
        byte[] got = Files.readAllBytes(dst);
        assertArrayEquals(data, Arrays.copyOf(got, data.length));
        assertEquals(junk.length, got.length);
    }

    @Test
    void missingSourceFileIsACopyError() {
        CopyException e =
                assertThrows(
                        CopyException.class,
                        () ->
                                new Copier(
                                                CopyOptions.defaults(
                                                        dir.resolve("none").toString(),
                                                        dir.resolve("x").toString()))
                                        .run(p -> {}));
        assertTrue(e.getMessage().contains("none"), e.getMessage());
    }

    @Test
    void bigRequestsComeFewerAtATime() {
        CopyOptions o = new CopyOptions("a", "b", null, 64, 4 << 20, true, false, false, false);
        CopyPlan p =
                CopyPlan.resolve(o, new Caps(true, 1 << 25, true), new Caps(true, 1 << 25, true));
        assertEquals(2, p.requestsPerConnection());
        assertTrue(p.notes().contains("requests per connection lowered to 2"), p.notes());
    }
}
