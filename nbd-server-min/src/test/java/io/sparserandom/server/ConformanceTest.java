package io.sparserandom.server;

import static io.sparserandom.server.MemoryDevice.BLOCK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.Capabilities;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.Errno;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdCommandFlag;
import io.sparserandom.protocol.NbdErrno;
import io.sparserandom.protocol.NbdInfo;
import io.sparserandom.protocol.NbdMagic;
import io.sparserandom.protocol.NbdOption;
import io.sparserandom.protocol.NbdOptionReply;
import io.sparserandom.protocol.NbdReplyType;
import io.sparserandom.protocol.NbdTransmissionFlag;
import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.RawClient;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server against the NBD spec (/work/shared/ref/nbd-proto.md, upstream doc/proto.md), one
 * nested class per section of the spec; each test names the clause it checks, in our words.
 * Raw-socket tests see every byte; {@link LibnbdStrict} drives the server with libnbd in strict
 * mode (test resource conformance/libnbd_conformance.py). Clauses already checked elsewhere are
 * listed, not repeated:
 *
 * <ul>
 *   <li>greeting, NO_ZEROES padding, EXPORT_NAME of an unknown export, LIST, ABORT, STARTTLS
 *       refused, unknown options, oversized options, bad option magic: {@link HandshakeTest}
 *   <li>reads, DF, REQ_ONE, NO_HOLE, FUA on every command, ENOSPC/EINVAL/EPERM, unknown commands
 *       and flags, DISC, bad request magic: {@link TransmissionTest}
 *   <li>abrupt clients, option count limit, handshake timeout: {@link RobustnessTest}
 * </ul>
 *
 * <p>{@link ExtendedHeaders} follows the extension text in
 * /work/shared/ref/nbd-proto-extended-headers.md.
 */
@Timeout(60)
class ConformanceTest {
    private static final int ACK = NbdOptionReply.ACK.wireValue();
    private static final int READ = NbdCommand.READ.wireValue();
    private static final int WRITE = NbdCommand.WRITE.wireValue();
    private static final int ZEROES = NbdCommand.WRITE_ZEROES.wireValue();
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

    private void restart(
            MemoryDevice device, java.util.function.UnaryOperator<NbdServer.Builder> customize)
            throws Exception {
        ts.close();
        ts = TestServer.start(dir, device, customize);
    }

    private static RawClient.OptionReply last(List<RawClient.OptionReply> rs) {
        return rs.get(rs.size() - 1);
    }

    /** "Transmission flags" (Values / Handshake phase). */
    @Nested
    class TransmissionFlags {
        @Test
        void dontFragmentIsClearWithoutStructuredReplies() throws Exception {
            // NBD_FLAG_SEND_DF: the server MUST leave it clear if structured replies were not
            // negotiated.
            try (RawClient c = ts.client()) {
                int flags = c.connect("", false, false).flags();
                assertEquals(
                        0,
                        flags & NbdTransmissionFlag.SEND_DF,
                        "SEND_DF without structured replies");
            }
            try (RawClient c = ts.client()) {
                c.hello();
                c.option(NbdOption.EXPORT_NAME, new byte[0]);
                ByteBuffer b = c.read(10);
                b.getLong();
                assertEquals(
                        0, b.getShort() & NbdTransmissionFlag.SEND_DF, "SEND_DF after EXPORT_NAME");
            }
            try (RawClient c = ts.client()) {
                int flags = c.connect("", true, false).flags();
                assertTrue(
                        (flags & NbdTransmissionFlag.SEND_DF) != 0,
                        "SEND_DF with structured replies");
            }
        }

        @Test
        void fastZeroOnlyWithWriteZeroesAndHasFlagsAlways() throws Exception {
            // HAS_FLAGS MUST always be 1; SEND_FAST_ZERO MUST be 0 when SEND_WRITE_ZEROES is not
            // set;
            // the server MUST NOT set flags for features it does not support.
            restart(
                    new MemoryDevice(
                            SIZE,
                            Capabilities.builder()
                                    .writable(true)
                                    .fastZero(true)
                                    .extents(true)
                                    .build()),
                    b -> b);
            try (RawClient c = ts.client()) {
                int flags = c.connect("", true, false).flags();
                assertTrue((flags & NbdTransmissionFlag.HAS_FLAGS) != 0);
                int unsupported =
                        NbdTransmissionFlag.SEND_WRITE_ZEROES
                                | NbdTransmissionFlag.SEND_FAST_ZERO
                                | NbdTransmissionFlag.SEND_FLUSH
                                | NbdTransmissionFlag.SEND_FUA
                                | NbdTransmissionFlag.SEND_TRIM
                                | NbdTransmissionFlag.SEND_CACHE
                                | NbdTransmissionFlag.CAN_MULTI_CONN;
                assertEquals(0, flags & unsupported, "flags 0x" + Integer.toHexString(flags));
                // Client MUST NOT use what was not exposed; the server answers EINVAL when it does.
                c.send(NbdCommandFlag.FUA, WRITE, 1, 0, 0);
                assertEquals(NbdErrno.EINVAL.wireValue(), errorOf(c.chunks()));
                c.send(0, ZEROES, 2, 0, 512);
                assertEquals(NbdErrno.EINVAL.wireValue(), errorOf(c.chunks()));
                c.send(0, NbdCommand.FLUSH.wireValue(), 3, 0, 0);
                assertEquals(NbdErrno.EINVAL.wireValue(), errorOf(c.chunks()));
            }
        }
    }

    /** "NBD_CMD_WRITE_ZEROES": FAST_ZERO. */
    @Nested
    class FastZero {
        @Test
        void fastZeroNotAdvertisedIsEinvalAndPlainZeroStillWorks() throws Exception {
            // Without NBD_FLAG_SEND_FAST_ZERO the server SHOULD fail FAST_ZERO with EINVAL (not
            // ENOTSUP); a WRITE_ZEROES without the flag MUST NOT fail with ENOTSUP.
            restart(new MemoryDevice(SIZE, Capabilities.all().withFastZero(false)), b -> b);
            try (RawClient c = ts.client()) {
                int flags = c.connect("", true, true).flags();
                assertTrue((flags & NbdTransmissionFlag.SEND_WRITE_ZEROES) != 0);
                assertEquals(0, flags & NbdTransmissionFlag.SEND_FAST_ZERO);
                c.send(NbdCommandFlag.FAST_ZERO, ZEROES, 1, 0, 4096);
                assertEquals(NbdErrno.EINVAL.wireValue(), errorOf(c.chunks()));
                assertTrue(
                        ts.device.isAllocated(0) && ts.device.copy(0, 1)[0] != 0,
                        "refused: contents unchanged");
                c.send(0, ZEROES, 2, 0, 4096);
                assertEquals(0, errorOf(c.chunks()));
                assertArrayEquals(new byte[4096], ts.device.copy(0, 4096));
            }
        }
    }

    /** "Option types": INFO/GO, ABORT, LIST_META_CONTEXT, SET_META_CONTEXT. */
    @Nested
    class Options {
        @Test
        void infoThenGoWithTheSameParametersGiveTheSameInformation() throws Exception {
            // INFO then GO with no option in between: the server MUST reply with the same set of
            // information. Unknown information requests MUST be ignored; NBD_INFO_EXPORT is always
            // sent.
            try (RawClient c = ts.client()) {
                c.hello();
                byte[] request =
                        RawClient.infoRequest("other", 0x7abc, NbdInfo.NAME.wireValue(), 0x4242);
                c.option(NbdOption.INFO, request);
                List<RawClient.OptionReply> info = c.optionReplies();
                c.option(NbdOption.GO, request);
                List<RawClient.OptionReply> go = c.optionReplies();
                assertEquals(ACK, last(info).type());
                assertEquals(ACK, last(go).type());
                assertEquals(payloads(info), payloads(go));
                assertTrue(
                        payloads(info).stream().anyMatch(p -> p.startsWith("0000")),
                        "NBD_INFO_EXPORT sent");
                for (RawClient.OptionReply r : info) {
                    assertEquals(NbdOption.INFO.wireValue(), r.option(), "replies echo the option");
                    if (r.type() == NbdOptionReply.INFO.wireValue()) {
                        int type = r.buf().getShort();
                        assertTrue(type >= 0 && type <= 3, "only known information types: " + type);
                    }
                }
                for (RawClient.OptionReply r : go) {
                    assertEquals(NbdOption.GO.wireValue(), r.option(), "replies echo the option");
                }
            }
        }

        private static List<String> payloads(List<RawClient.OptionReply> rs) {
            List<String> out = new ArrayList<>();
            for (RawClient.OptionReply r : rs) {
                out.add(java.util.HexFormat.of().formatHex(r.data()));
            }
            out.sort(null);
            return out;
        }

        @Test
        void infoNameLongerThanTheDataIsInvalid() throws Exception {
            // INFO/GO: name length MUST be no larger than the option data length - 6; a
            // syntactically invalid request is NBD_REP_ERR_INVALID and negotiation continues.
            try (RawClient c = ts.client()) {
                c.hello();
                byte[] bad = RawClient.infoRequest("other");
                ByteBuffer.wrap(bad).putInt(0, bad.length - 5);
                c.option(NbdOption.INFO, bad);
                assertEquals(NbdOptionReply.ERR_INVALID.wireValue(), c.optionReply().type());
                byte[] odd = Arrays.copyOf(RawClient.infoRequest("", NbdInfo.NAME.wireValue()), 9);
                c.option(NbdOption.INFO, odd);
                assertEquals(NbdOptionReply.ERR_INVALID.wireValue(), c.optionReply().type());
                c.go("", false, false);
            }
        }

        @Test
        void optionsWeDoNotImplementAreUnsupportedWithAReadableMessage() throws Exception {
            // Option types: the withdrawn PEEK_EXPORT (4) and unknown options get
            // NBD_REP_ERR_UNSUP (EXTENDED_HEADERS, 11, is implemented: see ExtendedHeaders); an
            // error reply MAY carry a human-readable message, which MUST be UTF-8. Negotiation then
            // continues.
            try (RawClient c = ts.client()) {
                c.hello();
                for (int option : new int[] {4, 0x4000_0000}) {
                    c.option(option, new byte[0]);
                    RawClient.OptionReply r = c.optionReply();
                    assertEquals(option, r.option());
                    assertEquals(NbdOptionReply.ERR_UNSUP.wireValue(), r.type());
                    try {
                        StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(r.data()));
                    } catch (CharacterCodingException e) {
                        fail("error message is not UTF-8");
                    }
                }
                c.go("", true, true);
            }
        }

        @Test
        void abortWithDataIsStillAcknowledged() throws Exception {
            // ABORT: the server MUST reply ACK; data sent with it SHOULD be ignored, not rejected.
            try (RawClient c = ts.client()) {
                c.hello();
                c.option(NbdOption.ABORT, new byte[] {1, 2, 3});
                RawClient.OptionReply r = c.optionReply();
                assertEquals(ACK, r.type());
                assertEquals(0, r.data().length);
                assertTrue(c.closedByServer());
            }
        }

        @Test
        void listMetaContextIgnoresUnknownNamespacesAndIdsAreZero() throws Exception {
            // LIST_META_CONTEXT: query strings of an unknown namespace MUST be ignored; if none
            // finds
            // a context, a single ACK. The context id in list replies SHOULD be zero.
            try (RawClient c = ts.client()) {
                c.hello();
                c.option(
                        NbdOption.LIST_META_CONTEXT,
                        RawClient.metaContextRequest("", "x-nope:thing"));
                List<RawClient.OptionReply> rs = c.optionReplies();
                assertEquals(1, rs.size());
                assertEquals(ACK, rs.get(0).type());
                c.option(
                        NbdOption.LIST_META_CONTEXT,
                        RawClient.metaContextRequest("", "x-nope:", "base:"));
                rs = c.optionReplies();
                assertEquals(2, rs.size());
                assertEquals(NbdOptionReply.META_CONTEXT.wireValue(), rs.get(0).type());
                assertEquals(0, rs.get(0).buf().getInt());
                // A query length reaching past the option's data is syntactically invalid.
                byte[] bad = RawClient.metaContextRequest("", "base:allocation");
                ByteBuffer.wrap(bad).putInt(8, 100);
                c.option(NbdOption.LIST_META_CONTEXT, bad);
                assertEquals(NbdOptionReply.ERR_INVALID.wireValue(), c.optionReply().type());
            }
        }

        @Test
        void setMetaContextReplacesTheSelectionEvenWhenItFails() throws Exception {
            // SET_META_CONTEXT replaces all previously set contexts, including when the command
            // fails.
            try (RawClient c = ts.client()) {
                c.hello();
                c.option(NbdOption.STRUCTURED_REPLY, new byte[0]);
                assertEquals(ACK, c.optionReply().type());
                c.option(
                        NbdOption.SET_META_CONTEXT,
                        RawClient.metaContextRequest("", NbdMagic.BASE_ALLOCATION));
                assertEquals(ACK, last(c.optionReplies()).type());
                c.option(
                        NbdOption.SET_META_CONTEXT,
                        RawClient.metaContextRequest("nope", NbdMagic.BASE_ALLOCATION));
                assertEquals(NbdOptionReply.ERR_UNKNOWN.wireValue(), c.optionReply().type());
                c.option(NbdOption.GO, RawClient.infoRequest(""));
                assertEquals(ACK, last(c.optionReplies()).type());
                c.send(0, STATUS, 1, 0, 4096);
                assertEquals(
                        NbdErrno.EINVAL.wireValue(),
                        errorOf(c.chunks()),
                        "no context is selected any more");
            }
        }

        @Test
        void setMetaContextWithNoQuerySelectsNothing() throws Exception {
            // SET_META_CONTEXT: if zero queries are sent, the server MUST select no metadata
            // contexts.
            try (RawClient c = ts.client()) {
                c.hello();
                c.option(NbdOption.STRUCTURED_REPLY, new byte[0]);
                assertEquals(ACK, c.optionReply().type());
                c.option(
                        NbdOption.SET_META_CONTEXT,
                        RawClient.metaContextRequest("", NbdMagic.BASE_ALLOCATION));
                assertEquals(2, c.optionReplies().size());
                c.option(NbdOption.SET_META_CONTEXT, RawClient.metaContextRequest(""));
                List<RawClient.OptionReply> rs = c.optionReplies();
                assertEquals(1, rs.size());
                assertEquals(ACK, rs.get(0).type());
                c.option(NbdOption.GO, RawClient.infoRequest(""));
                assertEquals(ACK, last(c.optionReplies()).type());
                c.send(0, STATUS, 1, 0, 4096);
                assertEquals(NbdErrno.EINVAL.wireValue(), errorOf(c.chunks()));
            }
        }

        @Test
        void metaContextOfAnotherExportIsNotUsedByGo() throws Exception {
            // BLOCK_STATUS is only allowed when the last SET_META_CONTEXT named the export GO
            // chose;
            // the server does not apply a selection made for another export.
            try (RawClient c = ts.client()) {
                c.hello();
                c.option(NbdOption.STRUCTURED_REPLY, new byte[0]);
                assertEquals(ACK, c.optionReply().type());
                c.option(
                        NbdOption.SET_META_CONTEXT,
                        RawClient.metaContextRequest("other", NbdMagic.BASE_ALLOCATION));
                assertEquals(2, c.optionReplies().size());
                c.option(NbdOption.GO, RawClient.infoRequest(""));
                assertEquals(ACK, last(c.optionReplies()).type());
                c.send(0, STATUS, 1, 0, 4096);
                assertEquals(NbdErrno.EINVAL.wireValue(), errorOf(c.chunks()));
            }
        }
    }

    /** "Structured reply chunk message" and "Structured reply types". */
    @Nested
    class StructuredReplies {
        @Test
        void readRepliesAreWellFramedAndCoverTheRequestExactly() throws Exception {
            // DONE on the final chunk only; OFFSET_DATA length >= 9 and OFFSET_HOLE length exactly
            // 12
            // with a nonzero size; every content chunk inside the request, none overlapping; a
            // successful read covers the whole request. Random ranges, after writes and trims that
            // fragment the map (large reads pass the server's chunk limit and fall back to data).
            Random rnd = new Random(7);
            try (RawClient c = ts.client()) {
                c.connect("", true, true);
                for (int i = 0; i < 40; i++) {
                    long at = (long) rnd.nextInt((int) (SIZE / 4096)) * 4096;
                    c.send(
                            0,
                            NbdCommand.TRIM.wireValue(),
                            1000 + i,
                            at,
                            4096L * (1 + rnd.nextInt(40)));
                    assertEquals(NbdReplyType.NONE.wireValue(), c.chunk().type());
                }
                for (int i = 0; i < 60; i++) {
                    int length =
                            i == 0
                                    ? NbdMagic.MAX_PAYLOAD
                                    : 1 + rnd.nextInt(i % 5 == 0 ? 8 << 20 : 300_000);
                    long offset = (long) (rnd.nextDouble() * (SIZE - length));
                    boolean df = i % 7 == 3;
                    c.send(df ? NbdCommandFlag.DF : 0, READ, i, offset, length);
                    byte[] got = checkRead(c.chunks(), i, offset, length, df);
                    assertArrayEquals(
                            ts.device.copy(offset, length), got, "read " + offset + "+" + length);
                }
            }
        }

        @Test
        void noneChunkHasDoneAndNoPayload() throws Exception {
            // NBD_REPLY_TYPE_NONE: length MUST be 0 and DONE MUST be set.
            try (RawClient c = ts.client()) {
                c.connect("", true, true);
                c.sendWrite(0, 5, 100, new byte[100]);
                c.send(NbdCommandFlag.NO_HOLE, ZEROES, 6, 0, 100);
                c.send(0, NbdCommand.FLUSH.wireValue(), 7, 0, 0);
                for (long cookie = 5; cookie <= 7; cookie++) {
                    RawClient.Chunk ch = c.chunk();
                    assertEquals(cookie, ch.cookie());
                    assertEquals(NbdReplyType.NONE.wireValue(), ch.type());
                    assertEquals(1, ch.flags(), "DONE set, no other flag");
                    assertEquals(0, ch.data().length);
                }
            }
        }

        @Test
        void earlyReadErrorIsStructuredNotSimple() throws Exception {
            // With structured replies the server MUST NOT use a simple reply for READ, even for an
            // early EINVAL due to bad flags.
            try (RawClient c = ts.client()) {
                c.connect("", true, true);
                c.send(0x4000, READ, 9, 0, 512);
                RawClient.Chunk ch = c.chunk();
                assertEquals(9, ch.cookie());
                assertTrue(ch.done());
                assertEquals(NbdReplyType.ERROR.wireValue(), ch.type());
                assertEquals(NbdErrno.EINVAL.wireValue(), checkErrorChunk(ch, 0, 0));
            }
        }

        @Test
        void errorMessagesFitTheLimitAndStayUtf8() throws Exception {
            // Error chunks: length >= 6 (14 with an offset), error nonzero, message length MUST NOT
            // exceed 4096 nor the chunk's length - 6 (-14), the message is UTF-8; ERROR_OFFSET's
            // offset lies inside the request. The device's message is 3 bytes per character and
            // longer than the limit, so the server must cut it on a character boundary.
            String huge = "é€".repeat(3000);
            MemoryDevice mem = new MemoryDevice();
            restart(
                    mem,
                    b ->
                            b.device(
                                    "faulty",
                                    "fails",
                                    conn -> new FailingDevice(mem, Errno.EIO, huge)));
            try (RawClient c = ts.client()) {
                c.connect("faulty", true, true);
                long offset = 5L * BLOCK;
                c.send(0, READ, 1, offset, BLOCK);
                List<RawClient.Chunk> chunks = c.chunks();
                assertEquals(1, chunks.size(), "no data before the error");
                RawClient.Chunk ch = chunks.get(0);
                assertEquals(NbdReplyType.ERROR_OFFSET.wireValue(), ch.type());
                assertEquals(NbdErrno.EIO.wireValue(), checkErrorChunk(ch, offset, BLOCK));
                c.sendWrite(0, 2, offset, new byte[100]);
                ch = c.chunk();
                assertTrue(ch.done());
                assertEquals(NbdErrno.EIO.wireValue(), checkErrorChunk(ch, offset, 100));
            }
        }

        @Test
        void deviceErrnosAreNotFlattened() throws Exception {
            // "Error values": ENOSPC, ENOTSUP (WRITE_ZEROES with FAST_ZERO) and EPERM reach the
            // client
            // as the device raised them, not as EIO.
            MemoryDevice mem = new MemoryDevice();
            Errno[] errnos = {Errno.ENOSPC, Errno.ENOTSUP, Errno.EPERM};
            restart(
                    mem,
                    b -> {
                        for (Errno e : errnos) {
                            b.device(
                                    e.name(),
                                    "fails with " + e,
                                    conn -> new FailingDevice(mem, e, "no"));
                        }
                        return b;
                    });
            for (Errno e : errnos) {
                try (RawClient c = ts.client()) {
                    c.connect(e.name(), true, true);
                    c.send(NbdCommandFlag.FAST_ZERO, ZEROES, 3, 0, 4096);
                    assertEquals(
                            NbdErrno.valueOf(e.name()).wireValue(),
                            checkErrorChunk(c.chunk(), 0, 4096),
                            e.name());
                }
            }
        }

        @Test
        void flushErrorsCarryNoOffset() throws Exception {
            // NBD_REPLY_TYPE_ERROR_OFFSET is valid for READ, WRITE, TRIM, CACHE, WRITE_ZEROES and
            // BLOCK_STATUS only; FLUSH has no range, so its error is a plain ERROR even when the
            // device names an offset.
            MemoryDevice mem = new MemoryDevice();
            restart(
                    mem,
                    b ->
                            b.device(
                                    "faulty",
                                    "fails",
                                    conn -> new FailingDevice(mem, Errno.EIO, "flush failed")));
            try (RawClient c = ts.client()) {
                c.connect("faulty", true, true);
                c.send(0, NbdCommand.FLUSH.wireValue(), 4, 0, 0);
                RawClient.Chunk ch = c.chunk();
                assertEquals(NbdReplyType.ERROR.wireValue(), ch.type());
                assertEquals(NbdErrno.EIO.wireValue(), checkErrorChunk(ch, 0, 0));
            }
        }

        @Test
        void blockStatusRepliesAreWellFormed() throws Exception {
            // BLOCK_STATUS chunk: length 4 + 8n with n >= 1, nonzero extent lengths, the context id
            // from SET_META_CONTEXT, consecutive descriptors with different status; REQ_ONE:
            // exactly one descriptor not exceeding the request;
            // otherwise the first N-1 extents sum to less than the requested length.
            Random rnd = new Random(11);
            try (RawClient c = ts.client()) {
                c.connect("", true, true);
                for (int i = 0; i < 200; i++) {
                    long length = 1L + rnd.nextInt(i % 3 == 0 ? 1 << 30 : 1 << 20);
                    length = Math.min(length, SIZE);
                    long offset = (long) (rnd.nextDouble() * (SIZE - length));
                    boolean one = i % 4 == 1;
                    c.send(one ? NbdCommandFlag.REQ_ONE : 0, STATUS, i, offset, length);
                    RawClient.Chunk ch = c.chunk();
                    assertTrue(ch.done());
                    assertEquals(i, ch.cookie());
                    assertEquals(NbdReplyType.BLOCK_STATUS.wireValue(), ch.type());
                    int n = ch.data().length - 4;
                    assertTrue(n >= 8 && n % 8 == 0, "length " + ch.data().length);
                    ByteBuffer b = ch.buf();
                    assertEquals(1, b.getInt());
                    long sum = 0;
                    int previous = -1;
                    for (int d = 0; d < n / 8; d++) {
                        long len = Integer.toUnsignedLong(b.getInt());
                        int state = b.getInt();
                        assertTrue(len > 0);
                        assertNotEquals(
                                previous, state, "consecutive descriptors SHOULD differ in status");
                        previous = state;
                        assertEquals(0, state & ~(NbdMagic.STATE_HOLE | NbdMagic.STATE_ZERO));
                        if (d < n / 8 - 1) {
                            sum += len;
                            assertTrue(sum < length, "first N-1 extents reach the length");
                        } else if (one) {
                            assertEquals(8, n, "REQ_ONE: one descriptor");
                            assertTrue(
                                    len <= length, "REQ_ONE: descriptor longer than the request");
                        }
                    }
                }
            }
        }
    }

    /** "Simple reply message". */
    @Nested
    class SimpleReplies {
        @Test
        void failedReadSendsNoPayload() throws Exception {
            // A simple reply with an error: the server MUST NOT send any payload for the request
            // (or
            // disconnects); the next bytes are the next reply.
            ts.device.failAt(5L * BLOCK + 1);
            try (RawClient c = ts.client()) {
                c.connect("", false, false);
                c.send(0, READ, 1, 5L * BLOCK, 4096);
                c.send(0, READ, 2, 0, 16);
                assertEquals(
                        new RawClient.SimpleReply(NbdErrno.EIO.wireValue(), 1), c.simpleReply());
                assertEquals(new RawClient.SimpleReply(0, 2), c.simpleReply());
                assertArrayEquals(ts.device.copy(0, 16), c.read(16).array());
            }
        }
    }

    /** "Terminating the transmission phase". */
    @Nested
    class Termination {
        @Test
        void discAfterRequestsAnswersThemFirst() throws Exception {
            // NBD_CMD_DISC: the server MUST handle all outstanding requests, then close; requests
            // after DISC are not answered.
            try (RawClient c = ts.client()) {
                c.connect("", false, false);
                ByteBuffer all = ByteBuffer.allocate(4 * 28 + 100);
                all.put(RawClient.request(0, READ, 1, 0, 100, null));
                all.put(RawClient.request(0, WRITE, 2, 4096, 100, new byte[100]));
                all.put(RawClient.request(0, NbdCommand.DISC.wireValue(), 3, 0, 0, null));
                all.put(RawClient.request(0, READ, 4, 0, 100, null));
                c.write(all.flip());
                assertEquals(new RawClient.SimpleReply(0, 1), c.simpleReply());
                c.read(100);
                assertEquals(new RawClient.SimpleReply(0, 2), c.simpleReply());
                assertTrue(c.closedByServer(), "nothing after DISC");
            }
        }
    }

    /**
     * NBD_OPT_EXTENDED_HEADERS (/work/shared/ref/nbd-proto-extended-headers.md, the extension
     * branch): the option and its ordering rules, the 32-byte request and reply headers, 64-bit
     * effect lengths, BLOCK_STATUS_EXT and the block status payload form.
     */
    @Nested
    class ExtendedHeaders {
        private static final int EXT = NbdOption.EXTENDED_HEADERS.wireValue();
        private static final int TRIM = NbdCommand.TRIM.wireValue();
        private static final int FLUSH = NbdCommand.FLUSH.wireValue();
        private static final long TB = 1L << 40;

        /** hello, EXTENDED_HEADERS, SET_META_CONTEXT base:allocation if asked, GO. */
        private RawClient.Export connectExtended(RawClient c, String name, boolean meta)
                throws Exception {
            c.hello();
            c.option(NbdOption.EXTENDED_HEADERS, new byte[0]);
            assertEquals(ACK, c.optionReply().type());
            return c.go(name, false, meta);
        }

        private void huge(HugeSparseDevice device) throws Exception {
            restart(new MemoryDevice(), b -> b.device("huge", "4 PiB", conn -> device));
        }

        /** One chunk that must be the whole reply to {@code cookie} for a request at {@code at}. */
        private RawClient.ExtChunk only(RawClient c, long cookie, long at) throws Exception {
            RawClient.ExtChunk ch = c.extendedChunk();
            assertEquals(cookie, ch.cookie());
            assertEquals(at, ch.offset(), "the header's offset MUST match the request's");
            assertTrue(ch.done());
            return ch;
        }

        private int errorOf(RawClient.ExtChunk ch) {
            assertTrue(NbdReplyType.isErrorType(ch.type()), "error chunk, got " + ch.type());
            ByteBuffer b = ch.buf();
            int error = b.getInt();
            int len = Short.toUnsignedInt(b.getShort());
            assertTrue(len <= ch.data().length - 6, "message fits the chunk");
            return error;
        }

        @Test
        void optionIsAcknowledgedAndRefusesData() throws Exception {
            // "The client MUST NOT send any additional data with the option, and the server SHOULD
            // reject a request that includes data with NBD_REP_ERR_INVALID"; otherwise NBD_REP_ACK.
            try (RawClient c = ts.client()) {
                c.hello();
                c.option(EXT, new byte[] {0});
                RawClient.OptionReply r = c.optionReply();
                assertEquals(EXT, r.option());
                assertEquals(NbdOptionReply.ERR_INVALID.wireValue(), r.type());
                c.option(EXT, new byte[0]);
                r = c.optionReply();
                assertEquals(EXT, r.option());
                assertEquals(ACK, r.type());
                assertEquals(0, r.data().length);
            }
        }

        @Test
        void structuredRepliesAfterExtendedHeadersAreRefused() throws Exception {
            // NBD_OPT_STRUCTURED_REPLY: NBD_REP_ERR_EXT_HEADER_REQD "The client has already
            // successfully negotiated extended headers, which takes precedence"; the connection
            // then still uses extended headers.
            try (RawClient c = ts.client()) {
                c.hello();
                c.option(EXT, new byte[0]);
                assertEquals(ACK, c.optionReply().type());
                c.option(NbdOption.STRUCTURED_REPLY, new byte[0]);
                assertEquals(
                        NbdOptionReply.ERR_EXT_HEADER_REQD.wireValue(), c.optionReply().type());
                c.go("", false, false);
                c.sendExtended(0, FLUSH, 1, 0, 0);
                assertEquals(NbdReplyType.NONE.wireValue(), only(c, 1, 0).type());
            }
        }

        @Test
        void extendedHeadersAfterStructuredRepliesTakePrecedence() throws Exception {
            // "A client MAY request structured replies first"; when successful this option "takes
            // precedence over structured replies": 32-byte headers both ways.
            try (RawClient c = ts.client()) {
                c.hello();
                c.option(NbdOption.STRUCTURED_REPLY, new byte[0]);
                assertEquals(ACK, c.optionReply().type());
                c.option(EXT, new byte[0]);
                assertEquals(ACK, c.optionReply().type());
                c.go("", false, true);
                c.sendExtended(0, READ, 2, 4096, 512);
                RawClient.ExtChunk ch = only(c, 2, 4096);
                assertEquals(NbdReplyType.OFFSET_DATA.wireValue(), ch.type());
            }
        }

        @Test
        void exportNameAfterExtendedHeadersIsAHardDisconnect() throws Exception {
            // "Once extended headers are successfully requested, a client MUST NOT use
            // NBD_OPT_EXPORT_NAME"; it has no error reply, so the server disconnects.
            try (RawClient c = ts.client()) {
                c.hello();
                c.option(EXT, new byte[0]);
                assertEquals(ACK, c.optionReply().type());
                c.option(NbdOption.EXPORT_NAME, new byte[0]);
                assertTrue(c.closedByServer());
            }
        }

        @Test
        void metaContextsNeedOnlyExtendedHeaders() throws Exception {
            // NBD_OPT_SET_META_CONTEXT "MUST NOT be requested unless structured replies or
            // extended headers have been negotiated first": extended headers alone are enough.
            try (RawClient c = ts.client()) {
                c.hello();
                c.option(EXT, new byte[0]);
                assertEquals(ACK, c.optionReply().type());
                c.option(
                        NbdOption.SET_META_CONTEXT,
                        RawClient.metaContextRequest("", NbdMagic.BASE_ALLOCATION));
                List<RawClient.OptionReply> rs = c.optionReplies();
                assertEquals(2, rs.size());
                assertEquals(NbdOptionReply.META_CONTEXT.wireValue(), rs.get(0).type());
                assertEquals(ACK, last(rs).type());
            }
        }

        @Test
        void transmissionFlagsFollowTheNegotiation() throws Exception {
            // SEND_DF may be set once extended headers are negotiated; BLOCK_STATUS_PAYLOAD MUST
            // NOT be advertised without extended headers and SHOULD NOT be without a meta context.
            try (RawClient c = ts.client()) {
                int flags = connectExtended(c, "", true).flags();
                assertTrue((flags & NbdTransmissionFlag.SEND_DF) != 0);
                assertTrue((flags & NbdTransmissionFlag.BLOCK_STATUS_PAYLOAD) != 0);
            }
            try (RawClient c = ts.client()) {
                int flags = connectExtended(c, "", false).flags();
                assertEquals(0, flags & NbdTransmissionFlag.BLOCK_STATUS_PAYLOAD);
            }
            try (RawClient c = ts.client()) {
                int flags = c.connect("", true, true).flags();
                assertEquals(0, flags & NbdTransmissionFlag.BLOCK_STATUS_PAYLOAD);
            }
        }

        @Test
        void everyReplyIsAnExtendedChunkCarryingTheRequestOffset() throws Exception {
            // "If extended headers are negotiated, all server replies MUST use an extended reply;
            // the server MUST NOT use simple replies even when there is no payload", with "offset
            // (MUST match the request)"; success without data is NBD_REPLY_TYPE_NONE with DONE.
            try (RawClient c = ts.client()) {
                connectExtended(c, "", true);
                byte[] data = new byte[1000];
                Arrays.fill(data, (byte) 7);
                c.sendExtendedPayload(0, WRITE, 1, 8192, data);
                c.sendExtended(NbdCommandFlag.NO_HOLE, ZEROES, 2, 3 * BLOCK, 100);
                c.sendExtended(0, TRIM, 3, 5 * BLOCK, BLOCK);
                c.sendExtended(0, NbdCommand.CACHE.wireValue(), 4, 6 * BLOCK, BLOCK);
                c.sendExtended(0, FLUSH, 5, 0, 0);
                long[] at = {8192, 3 * BLOCK, 5 * BLOCK, 6 * BLOCK, 0};
                for (int i = 0; i < at.length; i++) {
                    RawClient.ExtChunk ch = only(c, i + 1, at[i]);
                    assertEquals(NbdReplyType.NONE.wireValue(), ch.type());
                    assertEquals(1, ch.flags(), "DONE and no other flag");
                    assertEquals(0, ch.data().length);
                }
                c.sendExtended(0, READ, 6, 8192, 1000);
                RawClient.ExtChunk read = only(c, 6, 8192);
                assertEquals(NbdReplyType.OFFSET_DATA.wireValue(), read.type());
                ByteBuffer b = read.buf();
                assertEquals(8192, b.getLong());
                assertArrayEquals(data, Arrays.copyOfRange(read.data(), 8, read.data().length));
                // An error is an extended error chunk too, never a simple reply.
                c.sendExtended(0x4000, READ, 7, 512, 512);
                assertEquals(NbdErrno.EINVAL.wireValue(), errorOf(only(c, 7, 512)));
            }
        }

        @Test
        void readChunksKeepTheirOwnOffsetsInThePayload() throws Exception {
            // NBD_REPLY_TYPE_OFFSET_DATA / OFFSET_HOLE: the header offset is the request's "even in
            // reply types such as NBD_REPLY_TYPE_OFFSET_DATA where the payload itself contains a
            // different offset"; the chunks cover the request exactly.
            try (RawClient c = ts.client()) {
                connectExtended(c, "", true);
                c.sendExtended(0, TRIM, 1, 2 * BLOCK, BLOCK);
                only(c, 1, 2 * BLOCK);
                long offset = BLOCK + 512;
                int length = 3 * BLOCK;
                c.sendExtended(0, READ, 2, offset, length);
                List<RawClient.ExtChunk> chunks = c.extendedChunks();
                assertTrue(chunks.size() > 1, "a hole in the middle splits the read");
                long covered = 0;
                boolean hole = false;
                for (RawClient.ExtChunk ch : chunks) {
                    assertEquals(offset, ch.offset());
                    ByteBuffer b = ch.buf();
                    long at = b.getLong();
                    assertEquals(offset + covered, at, "chunks in order here");
                    if (ch.type() == NbdReplyType.OFFSET_HOLE.wireValue()) {
                        assertEquals(12, ch.data().length);
                        covered += Integer.toUnsignedLong(b.getInt());
                        hole = true;
                    } else {
                        assertEquals(NbdReplyType.OFFSET_DATA.wireValue(), ch.type());
                        covered += ch.data().length - 8;
                    }
                }
                assertTrue(hole);
                assertEquals(length, covered);
            }
        }

        @Test
        void writeWithoutPayloadLenIsRefused() throws Exception {
            // "The command NBD_CMD_WRITE MUST use the flag NBD_CMD_FLAG_PAYLOAD_LEN in this mode":
            // without it the length is an effect length, no payload follows, and the write fails
            // with EINVAL; the connection goes on.
            try (RawClient c = ts.client()) {
                connectExtended(c, "", false);
                c.sendExtended(0, WRITE, 1, 0, 512);
                assertEquals(NbdErrno.EINVAL.wireValue(), errorOf(only(c, 1, 0)));
                c.sendExtended(0, FLUSH, 2, 0, 0);
                assertEquals(NbdReplyType.NONE.wireValue(), only(c, 2, 0).type());
            }
        }

        @Test
        void anUnexpectedPayloadIsConsumedThenRefused() throws Exception {
            // "a server SHOULD gracefully consume length bytes of payload (even if it then replies
            // with an NBD_EINVAL failure because the particular command was not expecting a
            // payload), and proceed with the next client command".
            try (RawClient c = ts.client()) {
                connectExtended(c, "", true);
                int[] types = {READ, TRIM, ZEROES, FLUSH, NbdCommand.CACHE.wireValue()};
                for (int i = 0; i < types.length; i++) {
                    c.sendExtendedPayload(0, types[i], i, 0, new byte[100 + i]);
                    assertEquals(NbdErrno.EINVAL.wireValue(), errorOf(only(c, i, 0)));
                }
                c.sendExtended(0, READ, 99, 0, 16);
                assertEquals(NbdReplyType.OFFSET_DATA.wireValue(), only(c, 99, 0).type());
            }
        }

        @Test
        void aPayloadOverTheMaximumIsAHardDisconnect() throws Exception {
            // "A server SHOULD initiate hard disconnect if a client sets the
            // NBD_CMD_FLAG_PAYLOAD_LEN flag and uses a length larger than a server's advertised or
            // default maximum payload length".
            try (RawClient c = ts.client()) {
                connectExtended(c, "", false);
                c.write(
                        RawClient.extendedRequest(
                                NbdCommandFlag.PAYLOAD_LEN,
                                WRITE,
                                1,
                                0,
                                NbdMagic.MAX_PAYLOAD + 1L,
                                new byte[4096]));
                assertTrue(c.closedByServer());
            }
        }

        @Test
        void aCompactRequestAfterNegotiationIsAHardDisconnect() throws Exception {
            // After NBD_REP_ACK "the client MUST use the 32-byte extended request header": a
            // compact header breaks the framing.
            try (RawClient c = ts.client()) {
                connectExtended(c, "", false);
                c.write(RawClient.request(0, READ, 1, 0, 512, null));
                c.write(new byte[4]);
                assertTrue(c.closedByServer());
            }
        }

        @Test
        void payloadLenIsRefusedWithCompactHeaders() throws Exception {
            // "In the compact style, the client MUST NOT use the NBD_CMD_FLAG_PAYLOAD_LEN flag":
            // it is an unknown flag there, EINVAL in a simple reply.
            try (RawClient c = ts.client()) {
                c.connect("", false, false);
                c.send(NbdCommandFlag.PAYLOAD_LEN, READ, 1, 0, 512);
                assertEquals(
                        new RawClient.SimpleReply(NbdErrno.EINVAL.wireValue(), 1), c.simpleReply());
            }
        }

        @Test
        void effectLengthsAre64Bits() throws Exception {
            // "only when length is used as an effect length will it utilize a full 64-bit value":
            // TRIM, WRITE_ZEROES and CACHE of terabytes reach the device whole; past the end is
            // still an error (ENOSPC for zeroes, EINVAL otherwise), also for 2^63 and more.
            HugeSparseDevice device = new HugeSparseDevice();
            huge(device);
            try (RawClient c = ts.client()) {
                connectExtended(c, "huge", true);
                int[] types = {TRIM, ZEROES, NbdCommand.CACHE.wireValue()};
                for (int i = 0; i < types.length; i++) {
                    long length = (5 + i) * TB;
                    c.sendExtended(0, types[i], i, TB, length);
                    assertEquals(NbdReplyType.NONE.wireValue(), only(c, i, TB).type());
                    assertEquals(TB, device.lastOffset);
                    assertEquals(length, device.lastLength, "the device got the whole length");
                }
                c.sendExtended(0, TRIM, 10, TB, HugeSparseDevice.SIZE);
                assertEquals(NbdErrno.EINVAL.wireValue(), errorOf(only(c, 10, TB)));
                c.sendExtended(0, ZEROES, 11, 0, -1L);
                assertEquals(NbdErrno.ENOSPC.wireValue(), errorOf(only(c, 11, 0)));
                c.sendExtended(0, STATUS, 12, 0, 1L << 63);
                assertEquals(NbdErrno.EINVAL.wireValue(), errorOf(only(c, 12, 0)));
            }
        }

        @Test
        void aReadPastTheMaximumPayloadIsEoverflow() throws Exception {
            // A READ is a command without payload: past the maximum payload the spec permits the
            // server to "reject large read requests up front with NBD_EOVERFLOW".
            try (RawClient c = ts.client()) {
                connectExtended(c, "", false);
                c.sendExtended(0, READ, 1, 0, NbdMagic.MAX_PAYLOAD + 1L);
                assertEquals(NbdErrno.EOVERFLOW.wireValue(), errorOf(only(c, 1, 0)));
            }
        }

        /** Checks a BLOCK_STATUS_EXT chunk's framing; returns its (length, status) pairs. */
        private List<long[]> statusExt(RawClient.ExtChunk ch) {
            // "length MUST be 8 + (a positive multiple of 16)", the descriptor count "MUST
            // correspond to the number of subsequent descriptors", lengths nonzero, and for
            // base:allocation "the most-significant 32 bits of status MUST be all zeroes".
            assertEquals(NbdReplyType.BLOCK_STATUS_EXT.wireValue(), ch.type());
            int len = ch.data().length;
            assertTrue(len >= 24 && (len - 8) % 16 == 0, "length " + len);
            ByteBuffer b = ch.buf();
            assertEquals(1, b.getInt(), "the id SET_META_CONTEXT gave");
            int count = b.getInt();
            assertEquals((len - 8) / 16, count);
            List<long[]> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long length = b.getLong();
                long status = b.getLong();
                assertTrue(length != 0);
                assertEquals(0, status >>> 32);
                out.add(new long[] {length, status});
            }
            return out;
        }

        @Test
        void blockStatusExtCarriesTerabyteExtents() throws Exception {
            // NBD_REPLY_TYPE_BLOCK_STATUS_EXT is the only status chunk with extended headers, "the
            // extended reply chunk MUST be used, regardless of whether the client's hinted effect
            // length was less than 32 bits": one descriptor may span terabytes.
            huge(new HugeSparseDevice());
            try (RawClient c = ts.client()) {
                connectExtended(c, "huge", true);
                long hole = NbdMagic.STATE_HOLE | NbdMagic.STATE_ZERO;
                c.sendExtended(0, STATUS, 1, 0, HugeSparseDevice.SIZE);
                List<long[]> d = statusExt(only(c, 1, 0));
                assertEquals(3, d.size(), "hole, data, hole: the whole 4 PiB map");
                assertArrayEquals(new long[] {HugeSparseDevice.DATA_AT, hole}, d.get(0));
                assertArrayEquals(new long[] {HugeSparseDevice.DATA, 0}, d.get(1));
                long rest =
                        HugeSparseDevice.SIZE - HugeSparseDevice.DATA_AT - HugeSparseDevice.DATA;
                assertArrayEquals(new long[] {rest, hole}, d.get(2));
                c.sendExtended(0, STATUS, 2, 512, 4096); // under 32 bits: still the EXT chunk
                d = statusExt(only(c, 2, 512));
                assertTrue(d.get(0)[0] >= 4096 && d.get(0)[0] <= HugeSparseDevice.DATA_AT - 512);
                c.sendExtended(NbdCommandFlag.REQ_ONE, STATUS, 3, 0, 3 * TB);
                d = statusExt(only(c, 3, 0));
                assertEquals(1, d.size(), "REQ_ONE: exactly one descriptor");
                assertArrayEquals(new long[] {3 * TB, hole}, d.get(0), "not past the request");
            }
        }

        private byte[] statusPayload(long effectLength, int... ids) {
            ByteBuffer b = ByteBuffer.allocate(8 + 4 * ids.length).putLong(effectLength);
            for (int id : ids) {
                b.putInt(id);
            }
            return b.array();
        }

        @Test
        void blockStatusPayloadFormFiltersByContextId() throws Exception {
            // NBD_FLAG_BLOCK_STATUS_PAYLOAD: with PAYLOAD_LEN the payload is "64 bits, effect
            // length" then "n * 32 bits, list of metacontext ids"; it "MUST occupy 8 + n*4 bytes",
            // and for "duplicate or unknown metacontext ids" the server "MUST gracefully consume
            // the client's payload before failing with NBD_EINVAL".
            huge(new HugeSparseDevice());
            try (RawClient c = ts.client()) {
                connectExtended(c, "huge", true);
                // The header's length is the payload's 12 bytes; the effect length is 3 TiB.
                c.sendExtendedPayload(0, STATUS, 1, 0, statusPayload(3 * TB, 1));
                List<long[]> d = statusExt(only(c, 1, 0));
                assertEquals(1, d.size());
                assertEquals(3 * TB, d.get(0)[0], "clipped to the effect length in the payload");
                c.sendExtendedPayload(0, STATUS, 2, 0, statusPayload(TB, 7));
                assertEquals(NbdErrno.EINVAL.wireValue(), errorOf(only(c, 2, 0)), "unknown id");
                c.sendExtendedPayload(0, STATUS, 3, 0, statusPayload(TB, 1, 1));
                assertEquals(NbdErrno.EINVAL.wireValue(), errorOf(only(c, 3, 0)), "duplicate");
                c.sendExtendedPayload(0, STATUS, 4, 0, new byte[10]);
                assertEquals(NbdErrno.EINVAL.wireValue(), errorOf(only(c, 4, 0)), "not 8+4n");
                c.sendExtendedPayload(0, STATUS, 5, 0, statusPayload(TB));
                assertEquals(NbdErrno.EINVAL.wireValue(), errorOf(only(c, 5, 0)), "no ids");
                c.sendExtended(0, STATUS, 6, 0, TB);
                assertEquals(1, statusExt(only(c, 6, 0)).size(), "the connection goes on");
            }
        }

        @Test
        void deviceErrorsKeepTheirOffsetInTheChunkAndTheRequestOffsetInTheHeader()
                throws Exception {
            // NBD_REPLY_TYPE_ERROR_OFFSET inside an extended chunk: the payload's offset is where
            // it failed, the header's is the request's.
            MemoryDevice mem = new MemoryDevice();
            restart(
                    mem,
                    b ->
                            b.device(
                                    "faulty",
                                    "fails",
                                    conn -> new FailingDevice(mem, Errno.EIO, "broken")));
            try (RawClient c = ts.client()) {
                connectExtended(c, "faulty", false);
                c.sendExtended(0, READ, 1, 4 * BLOCK, BLOCK);
                RawClient.ExtChunk ch = only(c, 1, 4 * BLOCK);
                assertEquals(NbdReplyType.ERROR_OFFSET.wireValue(), ch.type());
                assertEquals(NbdErrno.EIO.wireValue(), errorOf(ch));
                ByteBuffer b = ch.buf();
                b.position(ch.data().length - 8);
                assertEquals(4 * BLOCK + BLOCK / 2, b.getLong());
            }
        }

        @Test
        void discEndsTheConnectionWithoutAReply() throws Exception {
            // NBD_CMD_DISC: no reply, outstanding requests answered first.
            try (RawClient c = ts.client()) {
                connectExtended(c, "", false);
                c.sendExtended(0, FLUSH, 1, 0, 0);
                c.sendExtended(0, NbdCommand.DISC.wireValue(), 2, 0, 0);
                only(c, 1, 0);
                assertTrue(c.closedByServer());
            }
        }
    }

    /**
     * The same areas through libnbd in strict mode: libnbd refuses to send what the spec forbids
     * and rejects replies that break the framing. Each test runs one section of the script.
     */
    @Nested
    class LibnbdStrict {
        @Test
        void options() throws Exception {
            python("options");
        }

        @Test
        void handshakeFlags() throws Exception {
            python("handshake_flags");
        }

        @Test
        void simpleReplies() throws Exception {
            python("simple_replies");
        }

        @Test
        void structuredReplies() throws Exception {
            python("structured_replies");
        }

        @Test
        void readOnly() throws Exception {
            restart(new MemoryDevice(), b -> b.readOnly(true));
            python("read_only");
        }

        private void python(String section) throws Exception {
            Path python = Interop.pythonNbd();
            Path script =
                    Path.of(
                            ConformanceTest.class
                                    .getResource("/conformance/libnbd_conformance.py")
                                    .toURI());
            Path out = dir.resolve(section + ".out");
            Process p =
                    new ProcessBuilder(
                                    python.toString(),
                                    script.toString(),
                                    ts.socket.toString(),
                                    section)
                            .redirectErrorStream(true)
                            .redirectOutput(out.toFile())
                            .start();
            if (!p.waitFor(40, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(section + " did not finish: " + Files.readString(out));
            }
            String text = Files.readString(out);
            assertEquals(0, p.exitValue(), text);
            assertEquals("ok " + section, text.trim());
        }
    }

    /** The first error of a reply, checked as an error chunk, or 0. */
    private static int errorOf(List<RawClient.Chunk> chunks) {
        for (RawClient.Chunk ch : chunks) {
            if ((ch.type() & 0x8000) != 0) {
                return checkErrorChunk(ch, 0, 0);
            }
        }
        return 0;
    }

    /**
     * Checks an error chunk's layout; the offset of ERROR_OFFSET must lie in [offset,
     * offset+length).
     */
    private static int checkErrorChunk(RawClient.Chunk ch, long offset, long length) {
        boolean withOffset = ch.type() == NbdReplyType.ERROR_OFFSET.wireValue();
        assertTrue(
                withOffset || ch.type() == NbdReplyType.ERROR.wireValue(),
                "error type " + ch.type());
        int fixed = withOffset ? 14 : 6;
        assertTrue(ch.data().length >= fixed, "error chunk length " + ch.data().length);
        ByteBuffer b = ch.buf();
        int error = b.getInt();
        assertNotEquals(0, error, "error MUST be nonzero");
        int len = Short.toUnsignedInt(b.getShort());
        assertTrue(len <= 4096, "message length " + len);
        assertEquals(ch.data().length - fixed, len, "message length vs chunk length");
        byte[] text = new byte[len];
        b.get(text);
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(text));
        } catch (CharacterCodingException e) {
            fail("error message is not UTF-8");
        }
        if (withOffset) {
            long at = b.getLong();
            assertTrue(
                    at >= offset && at < offset + length,
                    "error offset " + at + " outside the request");
        }
        return error;
    }

    /**
     * Checks one structured READ reply against the framing rules and returns the bytes it carries.
     * Zero-filled bytes stand for holes; bytes no chunk covered fail the check.
     */
    static byte[] checkRead(
            List<RawClient.Chunk> chunks, long cookie, long offset, int length, boolean df) {
        byte[] got = new byte[length];
        boolean[] covered = new boolean[length];
        for (int i = 0; i < chunks.size(); i++) {
            RawClient.Chunk ch = chunks.get(i);
            assertEquals(cookie, ch.cookie());
            assertEquals(i == chunks.size() - 1, ch.done(), "DONE on the last chunk only");
            assertEquals(0, ch.flags() & ~1, "no unnegotiated reply flags");
            ByteBuffer b = ch.buf();
            long start;
            int len;
            if (ch.type() == NbdReplyType.OFFSET_DATA.wireValue()) {
                assertTrue(ch.data().length >= 9, "OFFSET_DATA length " + ch.data().length);
                start = b.getLong();
                len = b.remaining();
            } else if (ch.type() == NbdReplyType.OFFSET_HOLE.wireValue()) {
                assertEquals(12, ch.data().length, "OFFSET_HOLE length");
                start = b.getLong();
                len = b.getInt();
                assertTrue(len != 0, "hole size MUST be nonzero");
            } else {
                fail("unexpected chunk type " + ch.type() + " in a successful read");
                return got;
            }
            long rel = start - offset;
            assertTrue(
                    rel >= 0 && Integer.toUnsignedLong(len) <= length - rel,
                    "chunk outside the request");
            for (int k = 0; k < len; k++) {
                assertFalse(covered[(int) rel + k], "chunks overlap at " + (start + k));
                covered[(int) rel + k] = true;
            }
            if (b.hasRemaining()) {
                b.get(got, (int) rel, len);
            }
        }
        if (df) {
            assertEquals(1, chunks.size(), "DF: at most one content chunk");
        }
        for (int k = 0; k < length; k++) {
            assertTrue(covered[k], "byte " + (offset + k) + " not covered");
        }
        return got;
    }

    /** Reads from a {@link MemoryDevice}; every other call fails with one errno and message. */
    private static final class FailingDevice implements BlockDevice {
        private final MemoryDevice mem;
        private final Errno errno;
        private final String message;

        FailingDevice(MemoryDevice mem, Errno errno, String message) {
            this.mem = mem;
            this.errno = errno;
            this.message = message;
        }

        @Override
        public long size() {
            return mem.size();
        }

        @Override
        public Capabilities capabilities() {
            return mem.capabilities();
        }

        @Override
        public void read(long offset, int length, ByteBuf dst) throws DeviceException {
            throw new DeviceException(errno, message, offset + length / 2);
        }

        @Override
        public void write(long offset, ByteBuf data, int flags) throws DeviceException {
            throw new DeviceException(errno, message, offset + data.readableBytes() - 1);
        }

        @Override
        public void zero(long offset, long length, int flags) throws DeviceException {
            throw new DeviceException(errno, message);
        }

        @Override
        public void trim(long offset, long length, int flags) throws DeviceException {
            throw new DeviceException(errno, message);
        }

        @Override
        public void flush(int flags) throws DeviceException {
            throw new DeviceException(errno, message, 0);
        }

        @Override
        public void extents(long offset, long length, ExtentSink sink) throws DeviceException {
            mem.extents(offset, length, sink);
        }
    }
}
