package io.sparserandom.server;

import static io.sparserandom.server.MemoryDevice.BLOCK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdCommandFlag;
import io.sparserandom.protocol.NbdErrno;
import io.sparserandom.protocol.NbdMagic;
import io.sparserandom.protocol.NbdReplyType;
import io.sparserandom.testsupport.RawClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Transmission-phase requests and every error case, as raw bytes over a unix socket. */
@Timeout(30)
class TransmissionTest {
    private static final int READ = NbdCommand.READ.wireValue();
    private static final int ZEROES = NbdCommand.WRITE_ZEROES.wireValue();
    private static final int TRIM = NbdCommand.TRIM.wireValue();
    private static final int FLUSH = NbdCommand.FLUSH.wireValue();
    private static final int CACHE = NbdCommand.CACHE.wireValue();
    private static final int STATUS = NbdCommand.BLOCK_STATUS.wireValue();
    private static final long SIZE = MemoryDevice.DEFAULT_SIZE;

    @TempDir Path dir;
    TestServer ts;

    @BeforeEach
    void start() throws Exception {
        ts = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        ts.close();
    }

    private RawClient simple() throws Exception {
        RawClient c = ts.client();
        c.connect("", false, false);
        return c;
    }

    private RawClient structured() throws Exception {
        RawClient c = ts.client();
        c.connect("", true, true);
        return c;
    }

    /** Sends one request on a simple-reply connection and returns its error. */
    private static int simpleError(RawClient c, int flags, int type, long offset, long length)
            throws Exception {
        c.send(flags, type, 42, offset, length);
        RawClient.SimpleReply r = c.simpleReply();
        assertEquals(42, r.cookie());
        return r.error();
    }

    @Test
    void simpleReadReturnsTheDeviceBytes() throws Exception {
        try (RawClient c = simple()) {
            long[][] cases = {
                {0, 1}, {BLOCK - 3, 7}, {3L * BLOCK - 100, BLOCK + 200}, {SIZE - 4096, 4096}
            };
            for (long[] k : cases) {
                assertEquals(0, simpleError(c, 0, READ, k[0], k[1]));
                assertArrayEquals(
                        ts.device.copy(k[0], (int) k[1]),
                        c.read((int) k[1]).array(),
                        Arrays.toString(k));
            }
        }
    }

    @Test
    void structuredReadSplitsDataAndHoles() throws Exception {
        try (RawClient c = structured()) {
            long offset = 2L * BLOCK + 10; // data, data up to 3*BLOCK, hole [3B, 4B), data from 4B
            int length = 3 * BLOCK;
            c.send(0, READ, 9, offset, length);
            List<RawClient.Chunk> chunks = c.chunks();
            byte[] got = new byte[length];
            Arrays.fill(got, (byte) 0x55);
            long covered = 0;
            boolean sawHole = false;
            for (RawClient.Chunk ch : chunks) {
                assertEquals(9, ch.cookie());
                ByteBuffer b = ch.buf();
                long at = b.getLong() - offset;
                if (ch.type() == NbdReplyType.OFFSET_DATA.wireValue()) {
                    b.get(got, (int) at, b.remaining());
                    covered += ch.data().length - 8;
                } else {
                    assertEquals(NbdReplyType.OFFSET_HOLE.wireValue(), ch.type());
                    int len = b.getInt();
                    Arrays.fill(got, (int) at, (int) at + len, (byte) 0);
                    covered += len;
                    sawHole = true;
                }
            }
            assertTrue(sawHole, "a hole in the range is sent as OFFSET_HOLE");
            assertEquals(length, covered, "chunks cover the range exactly once");
            assertArrayEquals(ts.device.copy(offset, length), got);
        }
    }

    @Test
    void dontFragmentGivesOneDataChunk() throws Exception {
        try (RawClient c = structured()) {
            long offset = 3L * BLOCK - 5;
            c.send(NbdCommandFlag.DF, READ, 10, offset, BLOCK);
            List<RawClient.Chunk> chunks = c.chunks();
            assertEquals(1, chunks.size());
            RawClient.Chunk ch = chunks.get(0);
            assertEquals(NbdReplyType.OFFSET_DATA.wireValue(), ch.type());
            ByteBuffer b = ch.buf();
            assertEquals(offset, b.getLong());
            byte[] data = new byte[b.remaining()];
            b.get(data);
            assertArrayEquals(ts.device.copy(offset, BLOCK), data);
        }
    }

    @Test
    void writeFuaThenReadBack() throws Exception {
        try (RawClient c = simple()) {
            byte[] data = new byte[10_000];
            new Random(1).nextBytes(data);
            long offset = 3L * BLOCK + 123; // into a hole
            c.sendWrite(NbdCommandFlag.FUA, 11, offset, data);
            assertEquals(new RawClient.SimpleReply(0, 11), c.simpleReply());
            assertArrayEquals(data, ts.device.copy(offset, data.length));
            assertEquals(0, simpleError(c, 0, READ, offset, data.length));
            assertArrayEquals(data, c.read(data.length).array());
        }
    }

    @Test
    void writeZeroesTrimFlushCache() throws Exception {
        try (RawClient c = structured()) {
            // Zeroes over two whole blocks without NO_HOLE: they may become holes (our device
            // does).
            c.send(0, ZEROES, 1, 0, 2L * BLOCK);
            assertEquals(NbdReplyType.NONE.wireValue(), c.chunk().type());
            assertArrayEquals(new byte[2 * BLOCK], ts.device.copy(0, 2 * BLOCK));
            assertFalse(ts.device.isAllocated(0));
            // NO_HOLE keeps it allocated.
            c.send(NbdCommandFlag.NO_HOLE, ZEROES, 2, 4L * BLOCK, BLOCK);
            assertEquals(NbdReplyType.NONE.wireValue(), c.chunk().type());
            assertTrue(ts.device.isAllocated(4L * BLOCK));
            assertArrayEquals(new byte[BLOCK], ts.device.copy(4L * BLOCK, BLOCK));
            c.send(0, TRIM, 3, 8L * BLOCK, BLOCK);
            assertEquals(NbdReplyType.NONE.wireValue(), c.chunk().type());
            assertFalse(ts.device.isAllocated(8L * BLOCK));
            int before = ts.device.flushes();
            c.send(0, FLUSH, 4, 0, 0);
            RawClient.Chunk f = c.chunk();
            assertEquals(NbdReplyType.NONE.wireValue(), f.type());
            assertTrue(f.done());
            assertEquals(before + 1, ts.device.flushes());
            c.send(0, CACHE, 5, 0, SIZE);
            assertEquals(NbdReplyType.NONE.wireValue(), c.chunk().type());
        }
    }

    @Test
    void blockStatusReportsTheMapWithTheContextId() throws Exception {
        try (RawClient c = structured()) {
            long offset = BLOCK + 100;
            long length = 10L * BLOCK;
            c.send(0, STATUS, 6, offset, length);
            RawClient.Chunk ch = c.chunk();
            assertTrue(ch.done());
            assertEquals(NbdReplyType.BLOCK_STATUS.wireValue(), ch.type());
            ByteBuffer b = ch.buf();
            assertEquals(1, b.getInt(), "the id SET_META_CONTEXT gave base:allocation");
            long pos = offset;
            int descriptors = 0;
            while (b.hasRemaining()) {
                long len = Integer.toUnsignedLong(b.getInt());
                int state = b.getInt();
                boolean hole = MemoryDevice.isInitialHole((int) (pos / BLOCK));
                assertEquals(
                        hole ? NbdMagic.STATE_HOLE | NbdMagic.STATE_ZERO : 0, state, "at " + pos);
                assertTrue(len > 0);
                pos += len;
                descriptors++;
            }
            assertTrue(descriptors > 3, "several runs: " + descriptors);
            assertEquals(offset + length, pos, "descriptors cover exactly the request");
            // REQ_ONE: exactly one descriptor, no longer than asked.
            c.send(NbdCommandFlag.REQ_ONE, STATUS, 7, offset, 100);
            b = c.chunk().buf();
            assertEquals(1, b.getInt());
            assertEquals(100, b.getInt());
            assertEquals(0, b.getInt());
            assertFalse(b.hasRemaining());
            c.send(NbdCommandFlag.REQ_ONE, STATUS, 8, offset, length);
            b = c.chunk().buf();
            b.getInt();
            assertEquals(2L * BLOCK - 100, b.getInt(), "first run: data up to the hole at block 3");
            assertEquals(0, b.getInt());
            assertFalse(b.hasRemaining(), "only one descriptor");
        }
    }

    @Test
    void outOfBoundsIsEinvalAndWritePastEndIsEnospc() throws Exception {
        try (RawClient c = simple()) {
            assertEquals(NbdErrno.EINVAL.wireValue(), simpleError(c, 0, READ, SIZE - 1, 2));
            assertEquals(NbdErrno.EINVAL.wireValue(), simpleError(c, 0, READ, SIZE, 1));
            assertEquals(NbdErrno.EINVAL.wireValue(), simpleError(c, 0, READ, -1L, 1));
            assertEquals(NbdErrno.EINVAL.wireValue(), simpleError(c, 0, TRIM, SIZE - 1, 2));
            assertEquals(NbdErrno.EINVAL.wireValue(), simpleError(c, 0, CACHE, SIZE, 1));
            assertEquals(NbdErrno.ENOSPC.wireValue(), simpleError(c, 0, ZEROES, SIZE - 1, 2));
            c.sendWrite(0, 42, SIZE - 2, new byte[4]);
            assertEquals(
                    new RawClient.SimpleReply(NbdErrno.ENOSPC.wireValue(), 42), c.simpleReply());
            // The connection still works.
            assertEquals(0, simpleError(c, 0, READ, SIZE - 1, 1));
            c.read(1);
        }
    }

    @Test
    void readOnlyRefusesWritesWithEperm() throws Exception {
        ts.close();
        ts = TestServer.start(dir, new MemoryDevice(), b -> b.readOnly(true));
        try (RawClient c = simple()) {
            c.sendWrite(0, 42, 0, new byte[512]);
            assertEquals(NbdErrno.EPERM.wireValue(), c.simpleReply().error());
            assertEquals(NbdErrno.EPERM.wireValue(), simpleError(c, 0, ZEROES, 0, 512));
            assertEquals(NbdErrno.EPERM.wireValue(), simpleError(c, 0, TRIM, 0, 512));
            assertEquals(0, simpleError(c, 0, FLUSH, 0, 0));
            assertEquals(0, simpleError(c, 0, READ, 0, 512));
            c.read(512);
        }
    }

    @Test
    void readOverMaxPayloadIsEinval() throws Exception {
        try (RawClient c = simple()) {
            assertEquals(
                    NbdErrno.EINVAL.wireValue(),
                    simpleError(c, 0, READ, 0, NbdMagic.MAX_PAYLOAD + 1L));
            assertEquals(0, simpleError(c, 0, READ, 0, NbdMagic.MAX_PAYLOAD));
            byte[] all = c.read(NbdMagic.MAX_PAYLOAD).array();
            assertArrayEquals(ts.device.copy(0, NbdMagic.MAX_PAYLOAD), all);
        }
    }

    @Test
    void writeOverMaxPayloadIsEinvalAndTheNextRequestIsAnswered() throws Exception {
        try (RawClient c = simple()) {
            byte[] big = new byte[NbdMagic.MAX_PAYLOAD + 1];
            Arrays.fill(big, (byte) 7);
            c.sendWrite(0, 50, 0, big);
            c.send(0, READ, 51, 0, 8);
            assertEquals(
                    new RawClient.SimpleReply(NbdErrno.EINVAL.wireValue(), 50), c.simpleReply());
            assertEquals(new RawClient.SimpleReply(0, 51), c.simpleReply());
            assertArrayEquals(ts.device.copy(0, 8), c.read(8).array());
            assertTrue(ts.device.copy(0, 8)[0] != 7, "the oversized write was not applied");
        }
    }

    @Test
    void badRequestsAreEinval() throws Exception {
        try (RawClient c = simple()) {
            assertEquals(
                    NbdErrno.EINVAL.wireValue(), simpleError(c, 0, 99, 0, 1), "unknown command");
            assertEquals(
                    NbdErrno.EINVAL.wireValue(),
                    simpleError(c, 0, NbdCommand.RESIZE.wireValue(), 0, 1));
            assertEquals(
                    NbdErrno.EINVAL.wireValue(),
                    simpleError(c, 0x8000, READ, 0, 1),
                    "unknown flag");
            assertEquals(
                    NbdErrno.EINVAL.wireValue(),
                    simpleError(c, NbdCommandFlag.REQ_ONE, READ, 0, 1));
            assertEquals(
                    NbdErrno.EINVAL.wireValue(),
                    simpleError(c, NbdCommandFlag.NO_HOLE, TRIM, 0, 1));
            assertEquals(
                    NbdErrno.EINVAL.wireValue(),
                    simpleError(c, NbdCommandFlag.DF, READ, 0, 1),
                    "DF without structured replies");
            assertEquals(NbdErrno.EINVAL.wireValue(), simpleError(c, 0, READ, 0, 0), "zero length");
            assertEquals(
                    NbdErrno.EINVAL.wireValue(), simpleError(c, 0, ZEROES, 0, 0), "zero length");
            assertEquals(
                    NbdErrno.EINVAL.wireValue(),
                    simpleError(c, 0, STATUS, 0, 512),
                    "block status without a meta context");
            assertEquals(0, simpleError(c, 0, READ, 0, 1));
            c.read(1);
        }
    }

    @Test
    void blockStatusWithoutMetaContextIsEinvalOnStructuredToo() throws Exception {
        try (RawClient c = ts.client()) {
            c.connect("", true, false);
            c.send(0, STATUS, 3, 0, 512);
            RawClient.Chunk ch = c.chunk();
            assertEquals(NbdReplyType.ERROR.wireValue(), ch.type());
            assertEquals(NbdErrno.EINVAL.wireValue(), ch.buf().getInt());
        }
    }

    @Test
    void structuredErrorsCarryTheMessageAndTheOffset() throws Exception {
        long fault = 5L * BLOCK + 77;
        ts.device.failAt(fault);
        try (RawClient c = structured()) {
            c.send(0, READ, 12, 5L * BLOCK, BLOCK);
            List<RawClient.Chunk> chunks = c.chunks();
            assertEquals(1, chunks.size(), "no data chunk before an error");
            RawClient.Chunk ch = chunks.get(0);
            assertEquals(NbdReplyType.ERROR_OFFSET.wireValue(), ch.type());
            ByteBuffer b = ch.buf();
            assertEquals(NbdErrno.EIO.wireValue(), b.getInt());
            int len = Short.toUnsignedInt(b.getShort());
            byte[] text = new byte[len];
            b.get(text);
            assertTrue(new String(text, StandardCharsets.UTF_8).contains("injected fault"));
            assertEquals(fault, b.getLong());
            assertFalse(b.hasRemaining());
            // A validation error has no offset: plain ERROR with its message.
            c.send(0, READ, 13, SIZE, 1);
            ch = c.chunk();
            assertEquals(NbdReplyType.ERROR.wireValue(), ch.type());
            assertTrue(ch.done());
            b = ch.buf();
            assertEquals(NbdErrno.EINVAL.wireValue(), b.getInt());
            len = Short.toUnsignedInt(b.getShort());
            assertEquals(len, b.remaining());
            assertTrue(len > 0);
        }
    }

    @Test
    void fuaIsAcceptedOnEveryCommand() throws Exception {
        try (RawClient c = simple()) {
            assertEquals(0, simpleError(c, NbdCommandFlag.FUA, READ, 0, 8));
            c.read(8);
            assertEquals(0, simpleError(c, NbdCommandFlag.FUA, FLUSH, 0, 0));
            assertEquals(0, simpleError(c, NbdCommandFlag.FUA, CACHE, 0, 8));
        }
    }

    @Test
    void aHundredRequestsInFlight() throws Exception {
        try (RawClient c = simple()) {
            ByteBuffer all = ByteBuffer.allocate(100 * 28);
            for (int i = 0; i < 100; i++) {
                all.put(RawClient.request(0, READ, 1000 + i, i * 4096L, 4096, null));
            }
            c.write(all.flip());
            for (int i = 0; i < 100; i++) {
                RawClient.SimpleReply r = c.simpleReply();
                assertEquals(0, r.error());
                long k = r.cookie() - 1000;
                assertArrayEquals(ts.device.copy(k * 4096, 4096), c.read(4096).array());
            }
        }
    }

    @Test
    void discClosesTheConnection() throws Exception {
        try (RawClient c = simple()) {
            c.send(0, NbdCommand.DISC.wireValue(), 1, 0, 0);
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void badRequestMagicClosesTheConnection() throws Exception {
        try (RawClient c = simple()) {
            c.write(ByteBuffer.allocate(28).putInt(0, 0xdeadbeef));
            assertTrue(c.closedByServer());
        }
        try (RawClient c = simple()) {
            assertEquals(0, simpleError(c, 0, READ, 0, 1));
        }
    }
}
