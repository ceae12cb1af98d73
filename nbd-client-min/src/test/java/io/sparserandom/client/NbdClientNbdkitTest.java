package io.sparserandom.client;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sparserandom.protocol.NbdErrno;
import io.sparserandom.testsupport.ServerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NbdClientNbdkitTest {
    @TempDir Path dir;

    @Test
    void handshakeReportsExportInfo() throws Exception {
        try (ServerProcess s = ServerProcess.nbdkit(dir, "memory", "64M");
                NbdClient c = NbdClient.connect(NbdUri.unix(s.socket(), ""))) {
            NbdExportInfo info = c.info();
            assertEquals(64L << 20, info.size());
            assertTrue(info.structuredReplies());
            assertTrue(info.metaContext());
            assertTrue(info.usedGo());
            assertTrue(info.canTrim());
            assertTrue(info.canZero());
            assertTrue(info.canFlush());
            assertTrue(info.canMultiConn());
            assertFalse(info.readOnly());
            assertTrue(info.minBlockSize() >= 1 && info.maxBlockSize() >= info.minBlockSize());
        }
    }

    @Test
    void extendedHeadersRefusedByNbdkitFallBackToStructuredReplies() throws Exception {
        // nbdkit (1.32 here) answers NBD_OPT_EXTENDED_HEADERS with NBD_REP_ERR_UNSUP: the client
        // asks for structured replies instead and uses compact 32-bit headers.
        try (ServerProcess s = ServerProcess.nbdkit(dir, "memory", "64M");
                NbdClient c = NbdClient.connect(NbdUri.unix(s.socket(), ""))) {
            assertTrue(NbdClientOptions.DEFAULTS.extendedHeaders(), "asked for by default");
            NbdExportInfo info = c.info();
            assertFalse(info.extendedHeaders(), info.toString());
            assertTrue(info.structuredReplies());
            assertTrue(info.metaContext());
            assertEquals(0xffff_ffffL, info.maxEffectLength());
            ByteBuf data = Unpooled.buffer(4096).writeBytes(new byte[4096]).setByte(7, 42);
            c.pwrite(1 << 20, data, false);
            ByteBuf back = c.pread(1 << 20, 4096);
            try {
                assertEquals(42, back.getByte(back.readerIndex() + 7));
            } finally {
                back.release();
            }
            List<Extent> map = c.blockStatus(0, 64L << 20, false);
            assertTrue(map.size() >= 2, map.toString());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> c.blockStatus(0, 1L << 32, false),
                    "no 64-bit effect length without extended headers");
        }
    }

    @Test
    void handshakeWithoutStructuredReplies() throws Exception {
        try (ServerProcess s = ServerProcess.nbdkit(dir, "pattern", "1M");
                NbdClient c =
                        NbdClient.connect(
                                NbdUri.unix(s.socket(), ""),
                                NbdClientOptions.DEFAULTS.withStructuredReplies(false))) {
            assertFalse(c.info().structuredReplies());
            assertFalse(c.info().metaContext());
            ByteBuf b = c.pread(4096, 4096);
            try {
                assertPattern(b, 4096);
            } finally {
                b.release();
            }
        }
    }

    @Test
    void patternReadMatchesOffsets() throws Exception {
        try (ServerProcess s = ServerProcess.nbdkit(dir, "pattern", "1G");
                NbdClient c = NbdClient.connect(NbdUri.unix(s.socket(), ""))) {
            long[] offsets = {0, 8, 1 << 20, (1L << 30) - 65536, 123456L * 8};
            for (long off : offsets) {
                ByteBuf b = c.pread(off, 65536 - (off == 8 ? 8 : 0));
                try {
                    assertPattern(b, off);
                } finally {
                    b.release();
                }
            }
        }
    }

    static void assertPattern(ByteBuf b, long offset) {
        assertEquals(0, offset % 8);
        for (int i = 0; i + 8 <= b.readableBytes(); i += 8) {
            assertEquals(offset + i, b.getLong(b.readerIndex() + i), "word at " + (offset + i));
        }
    }

    @Test
    void writeReadRoundTripZeroTrimFlush() throws Exception {
        try (ServerProcess s = ServerProcess.nbdkit(dir, "memory", "64M");
                NbdClient c = NbdClient.connect(NbdUri.unix(s.socket(), ""))) {
            byte[] data = new byte[100_000];
            new java.util.Random(7).nextBytes(data);
            c.pwrite(12345, Unpooled.wrappedBuffer(data), false);
            c.pwrite(1 << 20, Unpooled.wrappedBuffer(data), true);
            ByteBuf r = c.pread(12345, data.length);
            try {
                assertEquals(Unpooled.wrappedBuffer(data), r);
            } finally {
                r.release();
            }
            c.zero(12345 + 1000, 2000, false, false);
            c.trim(1 << 20, 4096);
            c.flush();
            r = c.pread(12345, 4000);
            try {
                for (int i = 0; i < 4000; i++) {
                    byte want = i >= 1000 && i < 3000 ? 0 : data[i];
                    assertEquals(want, r.getByte(i), "byte " + i);
                }
            } finally {
                r.release();
            }
            // The memory plugin reports what was trimmed/zeroed as a hole.
            List<Extent> ext = c.blockStatus(4 << 20, 8 << 20, false);
            assertFalse(ext.isEmpty());
            assertTrue(ext.get(0).zero(), "never written: " + ext);
            ext = c.blockStatus(1 << 20, 65536, false);
            assertFalse(ext.get(0).zero(), "written: " + ext);
        }
    }

    @Test
    void blockStatusOnSparseRandom() throws Exception {
        try (ServerProcess s = ServerProcess.nbdkit(dir, "sparse-random", "1G", "seed=1");
                NbdClient c = NbdClient.connect(NbdUri.unix(s.socket(), ""))) {
            long total = 0;
            int data = 0;
            int holes = 0;
            while (total < c.size()) {
                List<Extent> ext =
                        c.blockStatus(total, Math.min(c.size() - total, 1L << 30), false);
                assertFalse(ext.isEmpty());
                for (Extent e : ext) {
                    assertTrue(e.length() > 0);
                    // What block status says must match what a read returns.
                    ByteBuf b = c.pread(total, (int) Math.min(e.length(), 65536));
                    try {
                        boolean allZero = true;
                        for (int i = 0; i < b.readableBytes() && allZero; i++) {
                            allZero = b.getByte(i) == 0;
                        }
                        if (e.zero()) {
                            holes++;
                            assertTrue(allZero, "hole at " + total + " reads as zero");
                        } else {
                            data++;
                            assertFalse(allZero, "data at " + total + " is not all zero");
                        }
                    } finally {
                        b.release();
                    }
                    total += e.length();
                }
            }
            assertEquals(c.size(), total);
            assertTrue(data >= 2 && holes >= 2, "data=" + data + " holes=" + holes);
            List<Extent> one = c.blockStatus(0, 1L << 30, true);
            assertEquals(1, one.size());
        }
    }

    @Test
    void readPastEndIsEinvalWithMessage() throws Exception {
        try (ServerProcess s = ServerProcess.nbdkit(dir, "memory", "1M");
                NbdClient c = NbdClient.connect(NbdUri.unix(s.socket(), ""))) {
            NbdException e = assertThrows(NbdException.class, () -> c.pread((1 << 20) - 512, 4096));
            assertEquals(NbdErrno.EINVAL, e.errno());
            assertTrue(
                    e.getMessage().contains("EINVAL") && e.getMessage().contains("READ"),
                    e.getMessage());
            // The connection is still usable after an error reply.
            ByteBuf b = c.pread(0, 512);
            b.release();
        }
    }

    @Test
    void manyRequestsInFlight() throws Exception {
        try (ServerProcess s = ServerProcess.nbdkit(dir, "pattern", "1G");
                NbdClient c =
                        NbdClient.connect(
                                NbdUri.unix(s.socket(), ""),
                                NbdClientOptions.DEFAULTS.withMaxInFlight(32))) {
            List<CompletableFuture<ByteBuf>> fs = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                fs.add(c.readAsync(i * 65536L, 4096));
            }
            for (int i = 0; i < fs.size(); i++) {
                ByteBuf b = fs.get(i).join();
                try {
                    assertPattern(b, i * 65536L);
                } finally {
                    b.release();
                }
            }
        }
    }

    @Test
    void fourConnections() throws Exception {
        try (ServerProcess s = ServerProcess.nbdkit(dir, "memory", "64M");
                NbdConnectionPool pool =
                        NbdConnectionPool.open(
                                NbdUri.unix(s.socket(), ""), NbdClientOptions.DEFAULTS, 4)) {
            assertEquals(4, pool.size());
            List<CompletableFuture<Void>> ws = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                ByteBuf b = Unpooled.buffer(65536);
                for (int j = 0; j < 65536 / 8; j++) {
                    b.writeLong(i * 65536L + j * 8L);
                }
                ws.add(pool.get(i).writeAsync(i * 65536L, b, false));
            }
            CompletableFuture.allOf(ws.toArray(CompletableFuture<?>[]::new)).join();
            for (int i = 0; i < 64; i++) {
                ByteBuf r = pool.get(i + 1).pread(i * 65536L, 65536);
                try {
                    assertPattern(r, i * 65536L);
                } finally {
                    r.release();
                }
            }
        }
    }

    @Test
    void stoppedServerFailsClearly() throws Exception {
        try (ServerProcess s = ServerProcess.nbdkit(dir, "memory", "1M")) {
            s.kill();
            NbdProtocolException e =
                    assertThrows(
                            NbdProtocolException.class,
                            () -> NbdClient.connect(NbdUri.unix(s.socket(), "")));
            assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
        }
    }

    @Test
    void refusedExportFailsClearly() throws Exception {
        try (ServerProcess s =
                ServerProcess.nbdkit(
                        dir,
                        "--filter=exportname",
                        "memory",
                        "1M",
                        "exportname=good",
                        "exportname-strict=true")) {
            NbdUri bad = NbdUri.unix(s.socket(), "bad");
            NbdProtocolException e =
                    assertThrows(NbdProtocolException.class, () -> NbdClient.connect(bad));
            assertTrue(e.getMessage().contains("'bad'"), e.getMessage());
            try (NbdClient c = NbdClient.connect(NbdUri.unix(s.socket(), "good"))) {
                assertEquals(1 << 20, c.size());
            }
        }
    }

    @Test
    void serverDeathFailsPendingRequests() throws Exception {
        ServerProcess s = ServerProcess.nbdkit(dir, "--filter=delay", "memory", "1M", "rdelay=5");
        try (NbdClient c = NbdClient.connect(NbdUri.unix(s.socket(), ""))) {
            CompletableFuture<ByteBuf> f = c.readAsync(0, 512);
            Thread.sleep(200);
            s.kill();
            Exception e = assertThrows(Exception.class, () -> NbdClient.await(f));
            assertInstanceOf(NbdProtocolException.class, e);
            assertFalse(c.isOpen());
            assertThrows(NbdProtocolException.class, () -> c.pread(0, 512));
        }
    }

    @Test
    void requestTimeoutClosesConnection() throws Exception {
        try (ServerProcess s =
                        ServerProcess.nbdkit(dir, "--filter=delay", "memory", "1M", "rdelay=10");
                NbdClient c =
                        NbdClient.connect(
                                NbdUri.unix(s.socket(), ""),
                                NbdClientOptions.DEFAULTS.withRequestTimeout(
                                        java.time.Duration.ofMillis(300)))) {
            // rdelay=10 answers after 10 s: an error that says "timed out" can only come from the
            // 300 ms timeout.
            NbdProtocolException e =
                    assertThrows(NbdProtocolException.class, () -> c.pread(0, 512));
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        }
    }
}
