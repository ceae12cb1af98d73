package io.sparserandom.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The 32-byte headers of NBD_OPT_EXTENDED_HEADERS (nbd-proto-extended-headers.md, "Request message"
 * and "Extended reply chunk message"): layouts written out field by field, the request codec round
 * trip split at every byte, and the misuses the decoder must survive or refuse.
 */
class ExtendedHeadersCodecTest {
    private static final long COOKIE = 0x0102030405060708L;
    private static final long TB = 1L << 40;

    private static ByteBuf encode(NbdRequest... requests) {
        EmbeddedChannel enc = new EmbeddedChannel(new NbdRequestEncoder(NbdHeaders.EXTENDED));
        for (NbdRequest r : requests) {
            enc.writeOutbound(r);
        }
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = enc.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        assertFalse(enc.finish());
        return all;
    }

    private static List<Object> drain(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add(o);
        }
        return out;
    }

    private static EmbeddedChannel decoder(int maxPayload) {
        return new EmbeddedChannel(new NbdRequestDecoder(maxPayload, NbdHeaders.EXTENDED));
    }

    private static byte[] array(ByteBuf b) {
        byte[] out = ByteBufUtil.getBytes(b);
        b.release();
        return out;
    }

    @Test
    void requestHeaderIsTheSpecLayout() {
        ByteBuf payload = Unpooled.buffer().writeBytes(new byte[] {9, 8, 7});
        ByteBuf wire = encode(NbdRequest.write(NbdCommandFlag.FUA, COOKIE, TB, payload));
        ByteBuf expected =
                Unpooled.buffer()
                        .writeInt(0x21e41c71)
                        .writeShort(NbdCommandFlag.FUA | (1 << 5)) // PAYLOAD_LEN set for WRITE
                        .writeShort(1)
                        .writeLong(COOKIE)
                        .writeLong(TB)
                        .writeLong(3)
                        .writeBytes(new byte[] {9, 8, 7});
        assertArrayEquals(array(expected), array(wire));
        // No payload: the length is a 64-bit effect length and PAYLOAD_LEN stays clear.
        ByteBuf trim = encode(NbdRequest.of(NbdCommand.TRIM, 0, 7, 0, 5 * TB));
        assertEquals(32, trim.readableBytes());
        assertEquals(0, trim.getUnsignedShort(4));
        assertEquals(5 * TB, trim.getLong(24));
        trim.release();
    }

    private static NbdRequest[] sample() {
        ByteBuf write = Unpooled.buffer();
        for (int i = 0; i < 1000; i++) {
            write.writeByte(i);
        }
        ByteBuf status = Unpooled.buffer().writeLong(3 * TB).writeInt(1);
        return new NbdRequest[] {
            NbdRequest.of(NbdCommand.READ, NbdCommandFlag.DF, 1, 4096, 512),
            NbdRequest.write(0, 2, 1L << 62, write),
            NbdRequest.of(NbdCommand.TRIM, 0, 3, 0, 0x1_0000_0000L),
            NbdRequest.of(NbdCommand.WRITE_ZEROES, NbdCommandFlag.NO_HOLE, 4, 8, Long.MAX_VALUE),
            NbdRequest.of(NbdCommand.BLOCK_STATUS, 0, 5, 0, -1L), // 2^64-1: unsigned
            NbdRequest.withPayload(NbdCommand.BLOCK_STATUS, 0, 6, 512, status),
            NbdRequest.of(NbdCommand.DISC, 0, 8, 0, 0),
        };
    }

    private static void check(List<Object> decoded) {
        assertEquals(7, decoded.size());
        long[][] expect = {
            {0, NbdCommandFlag.DF, 1, 4096, 512},
            {1, NbdCommandFlag.PAYLOAD_LEN, 2, 1L << 62, 1000},
            {4, 0, 3, 0, 0x1_0000_0000L},
            {6, NbdCommandFlag.NO_HOLE, 4, 8, Long.MAX_VALUE},
            {7, 0, 5, 0, -1L},
            {7, NbdCommandFlag.PAYLOAD_LEN, 6, 512, 12},
            {2, 0, 8, 0, 0},
        };
        for (int i = 0; i < expect.length; i++) {
            NbdRequest r = assertInstanceOf(NbdRequest.class, decoded.get(i));
            assertEquals(expect[i][0], r.type(), "type of " + i);
            assertEquals(expect[i][1], r.flags(), "flags of " + i);
            assertEquals(expect[i][2], r.cookie());
            assertEquals(expect[i][3], r.offset());
            assertEquals(expect[i][4], r.length());
            if (i == 1) {
                assertEquals(1000, r.payload().readableBytes());
                assertEquals((byte) 999, r.payload().getByte(r.payload().readerIndex() + 999));
            } else if (i == 5) {
                assertEquals(3 * TB, r.payload().getLong(r.payload().readerIndex()));
                assertEquals(1, r.payload().getInt(r.payload().readerIndex() + 8));
            } else {
                assertNull(r.payload(), "no PAYLOAD_LEN, no payload");
            }
            assertTrue(r.release());
        }
    }

    @Test
    void requestsRoundTripSplitAtEveryByte() {
        ByteBuf all = encode(sample());
        for (int split = 0; split <= all.readableBytes(); split++) {
            EmbeddedChannel ch = decoder(4096);
            ch.writeInbound(all.retainedSlice(0, split));
            ch.writeInbound(all.retainedSlice(split, all.readableBytes() - split));
            check(drain(ch));
            assertFalse(ch.finish());
        }
        all.release();
    }

    @Test
    void aPayloadOnAnyCommandIsConsumedSoTheNextHeaderIsFound() {
        ByteBuf wire =
                encode(
                        NbdRequest.withPayload(
                                NbdCommand.TRIM, 0, 1, 0, Unpooled.buffer().writeZero(100)),
                        NbdRequest.of(NbdCommand.FLUSH, 0, 2, 0, 0));
        EmbeddedChannel ch = decoder(4096);
        ch.writeInbound(wire);
        List<Object> out = drain(ch);
        assertEquals(2, out.size());
        NbdRequest trim = (NbdRequest) out.get(0);
        assertEquals(100, trim.payload().readableBytes());
        assertTrue(trim.hasFlag(NbdCommandFlag.PAYLOAD_LEN));
        trim.release();
        assertEquals(2, ((NbdRequest) out.get(1)).cookie());
        assertFalse(ch.finish());
    }

    @Test
    void aWriteWithoutPayloadLenHasNoPayload() {
        // The header alone: a WRITE that forgot PAYLOAD_LEN is an effect length; the server
        // refuses it, but nothing more is read for it.
        ByteBuf wire =
                Unpooled.buffer()
                        .writeInt(0x21e41c71)
                        .writeShort(0)
                        .writeShort(1)
                        .writeLong(1)
                        .writeLong(0)
                        .writeLong(512);
        EmbeddedChannel ch = decoder(4096);
        ch.writeInbound(wire);
        NbdRequest r = ch.readInbound();
        assertEquals(NbdCommand.WRITE, r.command());
        assertNull(r.payload());
        r.release();
        assertFalse(ch.finish());
    }

    @Test
    void aPayloadOverTheLimitLosesTheStream() {
        ByteBuf wire =
                Unpooled.buffer()
                        .writeInt(0x21e41c71)
                        .writeShort(NbdCommandFlag.PAYLOAD_LEN)
                        .writeShort(1)
                        .writeLong(1)
                        .writeLong(0)
                        .writeLong(4097)
                        .writeZero(64);
        EmbeddedChannel ch = decoder(4096);
        ch.writeInbound(wire);
        NbdDecodeFailure f = assertInstanceOf(NbdDecodeFailure.class, ch.readInbound());
        assertTrue(f.message().contains("4097"), f.message());
        ch.writeInbound(encode(NbdRequest.of(NbdCommand.FLUSH, 0, 2, 0, 0)));
        assertNull(ch.readInbound(), "nothing is decoded after the stream is lost");
        assertFalse(ch.finish());
    }

    @Test
    void aCompactHeaderAfterNegotiationIsABadMagic() {
        ByteBuf compact = Unpooled.buffer();
        NbdRequestEncoder.encodeHeader(NbdRequest.of(NbdCommand.FLUSH, 0, 1, 0, 0), compact);
        compact.writeZero(4); // a whole 32 bytes, so the decoder looks
        EmbeddedChannel ch = decoder(4096);
        ch.writeInbound(compact);
        NbdDecodeFailure f = assertInstanceOf(NbdDecodeFailure.class, ch.readInbound());
        assertTrue(f.message().contains("25609513"), f.message());
        assertFalse(ch.finish());
    }

    /** The bytes the encoder produces for one reply (payload included), all parts released. */
    private static byte[] bytes(NbdReply reply) {
        EmbeddedChannel ch = new EmbeddedChannel(new NbdReplyEncoder());
        ch.writeOutbound(reply);
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        assertFalse(ch.finish());
        return array(all);
    }

    private static ByteBuf header(int flags, NbdReplyType type, long offset, long length) {
        return Unpooled.buffer()
                .writeInt(0x6e8a278c)
                .writeShort(flags)
                .writeShort(type.wireValue())
                .writeLong(COOKIE)
                .writeLong(offset)
                .writeLong(length);
    }

    @Test
    void replyHeaderIsTheSpecLayoutForEveryChunkType() {
        assertArrayEquals(
                array(header(1, NbdReplyType.NONE, TB, 0)),
                bytes(new NbdReply.Extended(TB, new NbdReply.None(COOKIE))));
        ByteBuf data = Unpooled.buffer().writeBytes(new byte[] {1, 2, 3});
        assertArrayEquals(
                array(
                        header(0, NbdReplyType.OFFSET_DATA, 4096, 11)
                                .writeLong(8192)
                                .writeBytes(new byte[] {1, 2, 3})),
                bytes(
                        new NbdReply.Extended(
                                4096, new NbdReply.OffsetData(COOKIE, false, 8192, data))),
                "the header offset is the request's, the payload's is the chunk's");
        assertArrayEquals(
                array(header(1, NbdReplyType.OFFSET_HOLE, 0, 12).writeLong(512).writeInt(4096)),
                bytes(new NbdReply.Extended(0, new NbdReply.OffsetHole(COOKIE, true, 512, 4096))));
        byte[] msg = "bad".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(
                array(
                        header(1, NbdReplyType.ERROR, 7, 6 + 3)
                                .writeInt(22)
                                .writeShort(3)
                                .writeBytes(msg)),
                bytes(
                        new NbdReply.Extended(
                                7, new NbdReply.ErrorChunk(COOKIE, true, NbdErrno.EINVAL, "bad"))));
        assertArrayEquals(
                array(
                        header(1, NbdReplyType.ERROR_OFFSET, 7, 14 + 3)
                                .writeInt(5)
                                .writeShort(3)
                                .writeBytes(msg)
                                .writeLong(9)),
                bytes(
                        new NbdReply.Extended(
                                7,
                                new NbdReply.ErrorOffset(COOKIE, true, NbdErrno.EIO, "bad", 9))));
    }

    @Test
    void blockStatusExtCarries64BitExtentsAndACount() {
        List<NbdReply.ExtDescriptor> d =
                BlockStatusBuilder.extended()
                        .add(3 * TB, NbdMagic.STATE_HOLE | NbdMagic.STATE_ZERO)
                        .add(4096, 0)
                        .buildExt();
        assertArrayEquals(
                array(
                        header(1, NbdReplyType.BLOCK_STATUS_EXT, 0, 8 + 2 * 16)
                                .writeInt(1) // context id
                                .writeInt(2) // descriptor count
                                .writeLong(3 * TB)
                                .writeLong(3)
                                .writeLong(4096)
                                .writeLong(0)),
                bytes(new NbdReply.Extended(0, new NbdReply.BlockStatusExt(COOKIE, true, 1, d))));
    }

    @Test
    void eachBlockStatusTypeOnlyWithItsHeaders() {
        NbdReply.BlockStatusExt ext =
                new NbdReply.BlockStatusExt(
                        COOKIE, true, 1, List.of(new NbdReply.ExtDescriptor(1, 0)));
        assertThrows(
                IllegalArgumentException.class,
                () -> NbdReplyEncoder.encodeHeader(ext, Unpooled.buffer().alloc()));
        NbdReply.BlockStatus compact =
                new NbdReply.BlockStatus(COOKIE, true, 1, List.of(new NbdReply.Descriptor(1, 0)));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        NbdReplyEncoder.encodeHeader(
                                new NbdReply.Extended(0, compact), Unpooled.buffer().alloc()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new NbdReply.BlockStatusExt(COOKIE, true, 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new NbdReply.ExtDescriptor(0, 0));
    }

    @Test
    void theExtendedBuilderMergesPast32Bits() {
        BlockStatusBuilder b = BlockStatusBuilder.extended();
        for (int i = 0; i < 1024; i++) {
            b.add(4 * TB, NbdMagic.STATE_HOLE);
        }
        assertEquals(
                List.of(new NbdReply.ExtDescriptor(4096 * TB, NbdMagic.STATE_HOLE)), b.buildExt());
        b.add(Long.MAX_VALUE - 4096 * TB, NbdMagic.STATE_HOLE);
        assertEquals(1, b.size(), "up to 2^63-1 bytes fit one descriptor");
        assertThrows(IllegalStateException.class, b::build);
        assertThrows(
                IllegalArgumentException.class, () -> new BlockStatusBuilder().add(1L << 32, 0));
    }
}
