package io.sparserandom.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every reply type against its layout in nbd-proto.md, written out field by field here (not with
 * the encoder's own helpers), and the handler's zero-copy payload.
 */
class NbdReplyEncoderTest {
    private static final long COOKIE = 0x0102030405060708L;

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
        byte[] out = ByteBufUtil.getBytes(all);
        all.release();
        return out;
    }

    private static ByteBuf chunk(int flags, NbdReplyType type, int length) {
        return Unpooled.buffer()
                .writeInt(0x668e33ef)
                .writeShort(flags)
                .writeShort(type.wireValue())
                .writeLong(COOKIE)
                .writeInt(length);
    }

    private static byte[] array(ByteBuf b) {
        byte[] out = ByteBufUtil.getBytes(b);
        b.release();
        return out;
    }

    @Test
    void simpleReplies() {
        assertArrayEquals(
                array(Unpooled.buffer().writeInt(0x67446698).writeInt(0).writeLong(COOKIE)),
                bytes(NbdReply.Simple.ok(COOKIE)));
        assertArrayEquals(
                array(Unpooled.buffer().writeInt(0x67446698).writeInt(28).writeLong(COOKIE)),
                bytes(NbdReply.Simple.error(COOKIE, NbdErrno.ENOSPC)));
        ByteBuf data = Unpooled.wrappedBuffer(new byte[] {9, 8, 7});
        assertArrayEquals(
                array(
                        Unpooled.buffer()
                                .writeInt(0x67446698)
                                .writeInt(0)
                                .writeLong(COOKIE)
                                .writeBytes(new byte[] {9, 8, 7})),
                bytes(NbdReply.Simple.read(COOKIE, data)));
        assertEquals(0, data.refCnt());
        ByteBuf d2 = Unpooled.buffer(1).writeByte(1);
        assertThrows(
                IllegalArgumentException.class,
                () -> new NbdReply.Simple(COOKIE, NbdErrno.EIO, d2));
        d2.release();
    }

    @Test
    void noneChunk() {
        assertArrayEquals(array(chunk(1, NbdReplyType.NONE, 0)), bytes(new NbdReply.None(COOKIE)));
    }

    @Test
    void offsetDataAndHole() {
        ByteBuf data = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5});
        assertArrayEquals(
                array(
                        chunk(0, NbdReplyType.OFFSET_DATA, 13)
                                .writeLong(1L << 40)
                                .writeBytes(new byte[] {1, 2, 3, 4, 5})),
                bytes(new NbdReply.OffsetData(COOKIE, false, 1L << 40, data)));
        assertEquals(0, data.refCnt());
        assertArrayEquals(
                array(
                        chunk(1, NbdReplyType.OFFSET_HOLE, 12)
                                .writeLong(-4096L)
                                .writeInt(0xfffffffe)),
                bytes(new NbdReply.OffsetHole(COOKIE, true, -4096L, 0xfffffffeL)));
        assertThrows(
                IllegalArgumentException.class, () -> new NbdReply.OffsetHole(COOKIE, true, 0, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new NbdReply.OffsetHole(COOKIE, true, 0, 1L << 32));
    }

    @Test
    void blockStatus() {
        List<NbdReply.Descriptor> d =
                new BlockStatusBuilder()
                        .add(4096, NbdMagic.STATE_HOLE | NbdMagic.STATE_ZERO)
                        .add(0xfffff000L, 0)
                        .build();
        assertArrayEquals(
                array(
                        chunk(1, NbdReplyType.BLOCK_STATUS, 4 + 16)
                                .writeInt(7)
                                .writeInt(4096)
                                .writeInt(3)
                                .writeInt(0xfffff000)
                                .writeInt(0)),
                bytes(new NbdReply.BlockStatus(COOKIE, true, 7, d)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new NbdReply.BlockStatus(COOKIE, true, 7, List.of()));
    }

    @Test
    void errorChunks() {
        byte[] msg = "no such thing".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(
                array(
                        chunk(1, NbdReplyType.ERROR, 6 + msg.length)
                                .writeInt(22)
                                .writeShort(msg.length)
                                .writeBytes(msg)),
                bytes(new NbdReply.ErrorChunk(COOKIE, true, NbdErrno.EINVAL, "no such thing")));
        assertArrayEquals(
                array(
                        chunk(1, NbdReplyType.ERROR_OFFSET, 6 + msg.length + 8)
                                .writeInt(5)
                                .writeShort(msg.length)
                                .writeBytes(msg)
                                .writeLong(12345)),
                bytes(
                        new NbdReply.ErrorOffset(
                                COOKIE, true, NbdErrno.EIO, "no such thing", 12345)));
        // No message: the errno's name stands in.
        assertArrayEquals(
                array(
                        chunk(1, NbdReplyType.ERROR, 6 + 3)
                                .writeInt(5)
                                .writeShort(3)
                                .writeBytes("EIO".getBytes(StandardCharsets.US_ASCII))),
                bytes(new NbdReply.ErrorChunk(COOKIE, true, NbdErrno.EIO, null)));
    }

    @Test
    void longMessagesAreCutAtACharacterBoundary() {
        // 4095 ASCII bytes then a 2-byte character: the character would straddle the limit.
        String message = "a".repeat(4095) + "\u00e9" + "tail";
        byte[] out = bytes(new NbdReply.ErrorChunk(COOKIE, true, NbdErrno.EIO, message));
        ByteBuf b = Unpooled.wrappedBuffer(out);
        assertEquals(6 + 4095, b.getInt(16));
        assertEquals(4095, b.getUnsignedShort(24));
        assertEquals(20 + 6 + 4095, out.length);
        assertEquals(NbdReply.MAX_MESSAGE, 4096);
    }

    @Test
    void builderMergesNeighboursOfEqualFlags() {
        BlockStatusBuilder b = new BlockStatusBuilder();
        b.add(10, 0).add(20, 0).add(5, 3).add(5, 3).add(1, 0);
        assertEquals(
                List.of(
                        new NbdReply.Descriptor(30, 0),
                        new NbdReply.Descriptor(10, 3),
                        new NbdReply.Descriptor(1, 0)),
                b.build());
        assertEquals(3, b.size());
        assertEquals(41, b.length());
        // A merge never passes the 32-bit length field.
        BlockStatusBuilder big = new BlockStatusBuilder().add(0xffff_0000L, 1).add(0x2_0000L, 1);
        assertEquals(
                List.of(
                        new NbdReply.Descriptor(0xffff_0000L, 1),
                        new NbdReply.Descriptor(0x2_0000L, 1)),
                big.build());
        assertThrows(IllegalArgumentException.class, () -> new BlockStatusBuilder().add(0, 1));
    }

    @Test
    void payloadIsSentAsItIsAndOtherMessagesPassThrough() {
        EmbeddedChannel ch = new EmbeddedChannel(new NbdReplyEncoder());
        ByteBuf data = Unpooled.directBuffer(64).writeZero(64);
        ch.writeOutbound(new NbdReply.OffsetData(COOKIE, true, 0, data));
        ByteBuf header = ch.readOutbound();
        assertEquals(28, header.readableBytes());
        header.release();
        assertSame(data, ch.readOutbound()); // no copy
        assertEquals(1, data.refCnt());
        data.release();
        ByteBuf other = Unpooled.buffer(0);
        ch.writeOutbound(other);
        assertSame(other, ch.readOutbound());
        assertNull(ch.readOutbound());
        assertFalse(ch.finish());
    }
}
