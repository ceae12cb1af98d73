package io.sparserandom.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.device.DeviceException;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdInfo;
import io.sparserandom.protocol.NbdMagic;
import io.sparserandom.protocol.NbdOption;
import io.sparserandom.protocol.NbdOptionReply;
import io.sparserandom.protocol.NbdTransmissionFlag;
import io.sparserandom.testsupport.RawClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The fixed newstyle handshake, byte by byte over a real unix socket. */
@Timeout(20)
class HandshakeTest {
    private static final int ACK = NbdOptionReply.ACK.wireValue();
    private static final int INFO = NbdOptionReply.INFO.wireValue();

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

    @Test
    void greetingIsFixedNewstyleWithNoZeroes() throws Exception {
        try (RawClient c = ts.client()) {
            assertEquals(NbdMagic.FLAG_FIXED_NEWSTYLE | NbdMagic.FLAG_NO_ZEROES, c.greeting());
        }
    }

    @Test
    void exportNameWithNoZeroesSendsTenBytesThenTransmission() throws Exception {
        try (RawClient c = ts.client()) {
            c.hello();
            c.option(NbdOption.EXPORT_NAME, new byte[0]);
            ByteBuffer b = c.read(10);
            assertEquals(MemoryDevice.DEFAULT_SIZE, b.getLong());
            int flags = Short.toUnsignedInt(b.getShort());
            assertTrue((flags & NbdTransmissionFlag.HAS_FLAGS) != 0);
            // The very next bytes must be the reply to a request, not padding.
            c.send(0, NbdCommand.READ.wireValue(), 7, 0, 16);
            RawClient.SimpleReply r = c.simpleReply();
            assertEquals(0, r.error());
            assertEquals(7, r.cookie());
            assertArrayEquals(ts.device.copy(0, 16), c.read(16).array());
        }
    }

    @Test
    void exportNameWithoutNoZeroesPadsWith124Zeroes() throws Exception {
        try (RawClient c = ts.client()) {
            c.greeting();
            c.clientFlags(NbdMagic.CLIENT_FLAG_FIXED_NEWSTYLE);
            c.option(NbdOption.EXPORT_NAME, "other".getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = c.read(134);
            assertEquals(MemoryDevice.BLOCK * 4L, b.getLong());
            b.getShort();
            while (b.hasRemaining()) {
                assertEquals(0, b.get());
            }
            c.send(0, NbdCommand.READ.wireValue(), 8, 0, 4);
            assertEquals(8, c.simpleReply().cookie());
        }
    }

    @Test
    void exportNameOfUnknownExportDisconnects() throws Exception {
        try (RawClient c = ts.client()) {
            c.hello();
            c.option(NbdOption.EXPORT_NAME, "nope".getBytes(StandardCharsets.UTF_8));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void infoGivesExportBlockSizeNameDescriptionAndStaysInNegotiation() throws Exception {
        try (RawClient c = ts.client()) {
            c.hello();
            c.option(
                    NbdOption.INFO,
                    RawClient.infoRequest(
                            "other",
                            NbdInfo.NAME.wireValue(),
                            NbdInfo.DESCRIPTION.wireValue(),
                            NbdInfo.BLOCK_SIZE.wireValue()));
            List<RawClient.OptionReply> rs = c.optionReplies();
            boolean export = false, blockSize = false, name = false, description = false;
            for (RawClient.OptionReply r : rs.subList(0, rs.size() - 1)) {
                assertEquals(NbdOption.INFO.wireValue(), r.option());
                assertEquals(INFO, r.type());
                ByteBuffer b = r.buf();
                int type = b.getShort();
                if (type == NbdInfo.EXPORT.wireValue()) {
                    assertEquals(12, r.data().length);
                    assertEquals(MemoryDevice.BLOCK * 4L, b.getLong());
                    int flags = b.getShort();
                    assertTrue((flags & NbdTransmissionFlag.HAS_FLAGS) != 0);
                    assertEquals(
                            0,
                            flags & NbdTransmissionFlag.SEND_DF,
                            "no SEND_DF without structured replies");
                    assertTrue((flags & NbdTransmissionFlag.SEND_WRITE_ZEROES) != 0);
                    assertEquals(0, flags & NbdTransmissionFlag.READ_ONLY);
                    export = true;
                } else if (type == NbdInfo.BLOCK_SIZE.wireValue()) {
                    assertEquals(14, r.data().length);
                    assertEquals(1, b.getInt());
                    assertEquals(4096, b.getInt());
                    assertEquals(32 << 20, b.getInt());
                    blockSize = true;
                } else if (type == NbdInfo.NAME.wireValue()) {
                    assertEquals(
                            "other",
                            new String(r.data(), 2, r.data().length - 2, StandardCharsets.UTF_8));
                    name = true;
                } else if (type == NbdInfo.DESCRIPTION.wireValue()) {
                    assertEquals(
                            "a second disk",
                            new String(r.data(), 2, r.data().length - 2, StandardCharsets.UTF_8));
                    description = true;
                }
            }
            assertEquals(ACK, rs.get(rs.size() - 1).type());
            assertTrue(export && blockSize && name && description, rs.toString());
            // Still negotiating: another option is answered.
            c.option(NbdOption.LIST, new byte[0]);
            assertEquals(ACK, c.optionReplies().stream().reduce((a, b) -> b).orElseThrow().type());
        }
    }

    @Test
    void goThenTransmission() throws Exception {
        try (RawClient c = ts.client()) {
            RawClient.Export e = c.connect("", false, false);
            assertEquals(MemoryDevice.DEFAULT_SIZE, e.size());
            c.send(0, NbdCommand.READ.wireValue(), 1, 4096, 512);
            assertEquals(0, c.simpleReply().error());
            assertArrayEquals(ts.device.copy(4096, 512), c.read(512).array());
        }
    }

    @Test
    void goAndRequestsInOneWrite() throws Exception {
        try (RawClient c = ts.client()) {
            c.hello();
            ByteBuffer all = ByteBuffer.allocate(1024);
            byte[] go = RawClient.infoRequest("");
            all.putLong(NbdMagic.IHAVEOPT)
                    .putInt(NbdOption.GO.wireValue())
                    .putInt(go.length)
                    .put(go);
            for (int i = 0; i < 3; i++) {
                all.put(
                        RawClient.request(
                                0, NbdCommand.READ.wireValue(), 100 + i, i * 100L, 10, null));
            }
            c.write(all.flip());
            List<RawClient.OptionReply> rs = c.optionReplies();
            assertEquals(ACK, rs.get(rs.size() - 1).type());
            for (int i = 0; i < 3; i++) {
                RawClient.SimpleReply r = c.simpleReply();
                assertEquals(100 + i, r.cookie());
                assertArrayEquals(ts.device.copy(i * 100L, 10), c.read(10).array());
            }
        }
    }

    @Test
    void listShowsEveryExportWithItsDescription() throws Exception {
        try (RawClient c = ts.client()) {
            c.hello();
            c.option(NbdOption.LIST, new byte[0]);
            List<RawClient.OptionReply> rs = c.optionReplies();
            assertEquals(3, rs.size(), rs.toString());
            StringBuilder seen = new StringBuilder();
            for (RawClient.OptionReply r : rs.subList(0, 2)) {
                assertEquals(NbdOptionReply.SERVER.wireValue(), r.type());
                ByteBuffer b = r.buf();
                int len = b.getInt();
                String name = new String(r.data(), 4, len, StandardCharsets.UTF_8);
                String desc =
                        new String(
                                r.data(),
                                4 + len,
                                r.data().length - 4 - len,
                                StandardCharsets.UTF_8);
                seen.append('[').append(name).append('|').append(desc).append(']');
            }
            assertTrue(seen.toString().contains("[|the test disk]"), seen.toString());
            assertTrue(seen.toString().contains("[other|a second disk]"), seen.toString());
            assertEquals(ACK, rs.get(2).type());
        }
    }

    @Test
    void listWithDataIsInvalid() throws Exception {
        try (RawClient c = ts.client()) {
            c.hello();
            c.option(NbdOption.LIST, new byte[] {1});
            assertEquals(NbdOptionReply.ERR_INVALID.wireValue(), c.optionReply().type());
        }
    }

    @Test
    void abortIsAcknowledgedThenClosed() throws Exception {
        try (RawClient c = ts.client()) {
            c.hello();
            c.option(NbdOption.ABORT, new byte[0]);
            RawClient.OptionReply r = c.optionReply();
            assertEquals(NbdOption.ABORT.wireValue(), r.option());
            assertEquals(ACK, r.type());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void structuredReply() throws Exception {
        try (RawClient c = ts.client()) {
            c.hello();
            c.option(NbdOption.STRUCTURED_REPLY, new byte[] {0});
            assertEquals(NbdOptionReply.ERR_INVALID.wireValue(), c.optionReply().type());
            c.option(NbdOption.STRUCTURED_REPLY, new byte[0]);
            assertEquals(ACK, c.optionReply().type());
        }
    }

    @Test
    void metaContexts() throws Exception {
        try (RawClient c = ts.client()) {
            c.hello();
            // SET before STRUCTURED_REPLY is refused.
            c.option(
                    NbdOption.SET_META_CONTEXT,
                    RawClient.metaContextRequest("", NbdMagic.BASE_ALLOCATION));
            assertEquals(NbdOptionReply.ERR_INVALID.wireValue(), c.optionReply().type());
            // LIST with no query lists base:allocation.
            c.option(NbdOption.LIST_META_CONTEXT, RawClient.metaContextRequest(""));
            List<RawClient.OptionReply> rs = c.optionReplies();
            assertEquals(2, rs.size());
            assertEquals(NbdOptionReply.META_CONTEXT.wireValue(), rs.get(0).type());
            assertEquals(
                    NbdMagic.BASE_ALLOCATION,
                    new String(
                            rs.get(0).data(),
                            4,
                            rs.get(0).data().length - 4,
                            StandardCharsets.US_ASCII));
            c.option(NbdOption.STRUCTURED_REPLY, new byte[0]);
            assertEquals(ACK, c.optionReply().type());
            // An unknown context is simply not selected.
            c.option(
                    NbdOption.SET_META_CONTEXT,
                    RawClient.metaContextRequest("", "qemu:dirty-bitmap:x"));
            rs = c.optionReplies();
            assertEquals(1, rs.size());
            assertEquals(ACK, rs.get(0).type());
            c.option(
                    NbdOption.SET_META_CONTEXT,
                    RawClient.metaContextRequest("", NbdMagic.BASE_ALLOCATION));
            rs = c.optionReplies();
            assertEquals(2, rs.size());
            assertEquals(NbdOptionReply.META_CONTEXT.wireValue(), rs.get(0).type());
            int id = rs.get(0).buf().getInt();
            assertEquals(ACK, rs.get(1).type());
            // Unknown export.
            c.option(
                    NbdOption.SET_META_CONTEXT,
                    RawClient.metaContextRequest("nope", NbdMagic.BASE_ALLOCATION));
            assertEquals(NbdOptionReply.ERR_UNKNOWN.wireValue(), c.optionReply().type());
            // Malformed: count says one query, none follows.
            c.option(
                    NbdOption.LIST_META_CONTEXT,
                    ByteBuffer.allocate(8).putInt(0).putInt(1).array());
            assertEquals(NbdOptionReply.ERR_INVALID.wireValue(), c.optionReply().type());
            // A failed SET clears the selection (spec; see ConformanceTest.Options): select again,
            // and block status answers with the id SET gave.
            c.option(
                    NbdOption.SET_META_CONTEXT,
                    RawClient.metaContextRequest("", NbdMagic.BASE_ALLOCATION));
            rs = c.optionReplies();
            assertEquals(id, rs.get(0).buf().getInt());
            c.option(NbdOption.GO, RawClient.infoRequest(""));
            assertEquals(ACK, c.optionReplies().stream().reduce((a, b) -> b).orElseThrow().type());
            c.send(0, NbdCommand.BLOCK_STATUS.wireValue(), 5, 0, 4096);
            RawClient.Chunk ch = c.chunk();
            assertEquals(5, ch.cookie());
            assertEquals(id, ch.buf().getInt());
        }
    }

    @Test
    void startTlsIsRefusedByPolicyWithoutTls() throws Exception {
        try (RawClient c = ts.client()) {
            c.hello();
            c.option(NbdOption.STARTTLS, new byte[0]);
            assertEquals(NbdOptionReply.ERR_POLICY.wireValue(), c.optionReply().type());
            c.go("", false, false);
        }
    }

    @Test
    void unknownOptionIsUnsupportedAndGoStillWorks() throws Exception {
        try (RawClient c = ts.client()) {
            c.hello();
            c.option(0x7777, new byte[] {1, 2, 3});
            RawClient.OptionReply r = c.optionReply();
            assertEquals(0x7777, r.option());
            assertEquals(NbdOptionReply.ERR_UNSUP.wireValue(), r.type());
            c.option(NbdOption.GO, RawClient.infoRequest(""));
            assertEquals(ACK, c.optionReplies().stream().reduce((a, b) -> b).orElseThrow().type());
        }
    }

    @Test
    void unknownExportIsErrUnknownAndGoStillWorks() throws Exception {
        try (RawClient c = ts.client()) {
            c.hello();
            c.option(NbdOption.GO, RawClient.infoRequest("nope"));
            assertEquals(NbdOptionReply.ERR_UNKNOWN.wireValue(), c.optionReply().type());
            c.option(NbdOption.INFO, RawClient.infoRequest("nope"));
            assertEquals(NbdOptionReply.ERR_UNKNOWN.wireValue(), c.optionReply().type());
            c.option(NbdOption.GO, RawClient.infoRequest(""));
            assertEquals(ACK, c.optionReplies().stream().reduce((a, b) -> b).orElseThrow().type());
        }
    }

    @Test
    void malformedGoIsInvalid() throws Exception {
        try (RawClient c = ts.client()) {
            c.hello();
            c.option(NbdOption.GO, new byte[] {0, 0, 0, 9, 'x'});
            assertEquals(NbdOptionReply.ERR_INVALID.wireValue(), c.optionReply().type());
            c.option(NbdOption.GO, RawClient.infoRequest(""));
            assertEquals(ACK, c.optionReplies().stream().reduce((a, b) -> b).orElseThrow().type());
        }
    }

    @Test
    void oversizedOptionIsTooBigAndSkipped() throws Exception {
        try (RawClient c = ts.client()) {
            c.hello();
            c.option(NbdOption.LIST, new byte[100_000]);
            assertEquals(NbdOptionReply.ERR_TOO_BIG.wireValue(), c.optionReply().type());
            c.go("", false, false);
        }
    }

    @Test
    void unknownClientFlagsDisconnect() throws Exception {
        try (RawClient c = ts.client()) {
            c.greeting();
            c.clientFlags(0x100);
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void badOptionMagicDisconnects() throws Exception {
        try (RawClient c = ts.client()) {
            c.hello();
            c.write(ByteBuffer.allocate(16).putLong(0x1234).putInt(3).putInt(0).flip());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void aDeviceThatCannotOpen() throws Exception {
        ts.close();
        ts =
                TestServer.start(
                        dir,
                        new MemoryDevice(),
                        b ->
                                b.device(
                                        "broken",
                                        "fails to open",
                                        c -> {
                                            throw new DeviceException(
                                                    io.sparserandom.device.Errno.EIO,
                                                    "no disk today");
                                        }));
        try (RawClient c = ts.client()) {
            c.hello();
            c.option(NbdOption.GO, RawClient.infoRequest("broken"));
            RawClient.OptionReply r = c.optionReply();
            assertEquals(NbdOptionReply.ERR_UNKNOWN.wireValue(), r.type());
            assertTrue(r.text().contains("no disk today"), r.text());
            c.option(NbdOption.EXPORT_NAME, "broken".getBytes(StandardCharsets.UTF_8));
            assertTrue(
                    c.closedByServer(),
                    "EXPORT_NAME cannot answer an error: nothing is sent, just a close");
        }
    }

    @Test
    void readOnlyServerAdvertisesReadOnly() throws Exception {
        ts.close();
        ts = TestServer.start(dir, new MemoryDevice(), b -> b.readOnly(true));
        try (RawClient c = ts.client()) {
            RawClient.Export e = c.connect("", false, false);
            assertTrue((e.flags() & NbdTransmissionFlag.READ_ONLY) != 0);
            assertEquals(0, e.flags() & NbdTransmissionFlag.SEND_WRITE_ZEROES);
            assertEquals(0, e.flags() & NbdTransmissionFlag.SEND_TRIM);
        }
    }
}
