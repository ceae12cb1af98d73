package io.sparserandom.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NbdRequestDecoderTest {

    /** Encodes requests with the client encoder into one buffer. */
    private static ByteBuf encode(NbdRequest... requests) {
        EmbeddedChannel enc = new EmbeddedChannel(new NbdRequestEncoder());
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

    private static NbdRequest[] sample() {
        ByteBuf payload = Unpooled.buffer();
        for (int i = 0; i < 1000; i++) {
            payload.writeByte(i);
        }
        return new NbdRequest[] {
            NbdRequest.of(NbdCommand.READ, NbdCommandFlag.DF, 1, 4096, 512),
            NbdRequest.write(NbdCommandFlag.FUA, 2, 1L << 40, payload),
            NbdRequest.of(NbdCommand.TRIM, 0, 3, 0, 0xffffffffL),
            NbdRequest.of(NbdCommand.WRITE_ZEROES, NbdCommandFlag.NO_HOLE, 4, 8, 0xfffffff0L),
            NbdRequest.of(NbdCommand.BLOCK_STATUS, NbdCommandFlag.REQ_ONE, 5, 0, 0x80000000L),
            NbdRequest.of(NbdCommand.CACHE, 0, 6, 0, 0xffffffffL),
            NbdRequest.of(NbdCommand.FLUSH, 0, -1L, 0, 0),
            NbdRequest.of(NbdCommand.DISC, 0, 8, 0, 0),
        };
    }

    private static void check(List<Object> decoded) {
        assertEquals(8, decoded.size());
        long[][] expect = {
            {NbdCommand.READ.wireValue(), NbdCommandFlag.DF, 1, 4096, 512},
            {NbdCommand.WRITE.wireValue(), NbdCommandFlag.FUA, 2, 1L << 40, 1000},
            {NbdCommand.TRIM.wireValue(), 0, 3, 0, 0xffffffffL},
            {NbdCommand.WRITE_ZEROES.wireValue(), NbdCommandFlag.NO_HOLE, 4, 8, 0xfffffff0L},
            {NbdCommand.BLOCK_STATUS.wireValue(), NbdCommandFlag.REQ_ONE, 5, 0, 0x80000000L},
            {NbdCommand.CACHE.wireValue(), 0, 6, 0, 0xffffffffL},
            {NbdCommand.FLUSH.wireValue(), 0, -1L, 0, 0},
            {NbdCommand.DISC.wireValue(), 0, 8, 0, 0},
        };
        for (int i = 0; i < expect.length; i++) {
            NbdRequest r = assertInstanceOf(NbdRequest.class, decoded.get(i));
            assertEquals(expect[i][0], r.type());
            assertEquals(expect[i][1], r.flags());
            assertEquals(expect[i][2], r.cookie());
            assertEquals(expect[i][3], r.offset());
            assertEquals(expect[i][4], r.length());
            assertFalse(r.payloadDropped());
            if (r.command() == NbdCommand.WRITE) {
                assertEquals(1000, r.payload().readableBytes());
                for (int j = 0; j < 1000; j++) {
                    assertEquals((byte) j, r.payload().getByte(r.payload().readerIndex() + j));
                }
            } else {
                assertNull(r.payload(), "only WRITE carries a payload");
            }
            assertTrue(r.release());
        }
    }

    @Test
    void roundTripInOnePiece() {
        EmbeddedChannel ch = new EmbeddedChannel(new NbdRequestDecoder());
        ch.writeInbound(encode(sample()));
        check(drain(ch));
        assertFalse(ch.finish());
    }

    @Test
    void roundTripSplitAtEveryByte() {
        ByteBuf all = encode(sample());
        for (int split = 1; split < all.readableBytes(); split++) {
            EmbeddedChannel ch = new EmbeddedChannel(new NbdRequestDecoder());
            ch.writeInbound(all.retainedSlice(0, split));
            ch.writeInbound(all.retainedSlice(split, all.readableBytes() - split));
            check(drain(ch));
            assertFalse(ch.finish());
        }
        all.release();
    }

    @Test
    void roundTripOneByteAtATime() {
        ByteBuf all = encode(sample());
        EmbeddedChannel ch = new EmbeddedChannel(new NbdRequestDecoder());
        for (int i = 0; i < all.readableBytes(); i++) {
            ch.writeInbound(all.retainedSlice(i, 1));
        }
        all.release();
        check(drain(ch));
        assertFalse(ch.finish());
    }

    @Test
    void badMagicGivesOneFailureAndDropsTheRest() {
        EmbeddedChannel ch = new EmbeddedChannel(new NbdRequestDecoder());
        ByteBuf bad = Unpooled.buffer();
        bad.writeInt(0x12345678).writeZero(24);
        ch.writeInbound(bad);
        ch.writeInbound(encode(NbdRequest.of(NbdCommand.READ, 0, 1, 0, 1)));
        List<Object> out = drain(ch);
        assertEquals(1, out.size());
        assertInstanceOf(NbdDecodeFailure.class, out.get(0));
        assertFalse(ch.finish());
    }

    @Test
    void oversizedWritePayloadIsDroppedAndNextRequestDecoded() {
        int limit = 4096;
        ByteBuf payload = Unpooled.buffer().writeZero(limit + 1);
        ByteBuf all =
                encode(
                        NbdRequest.write(0, 1, 0, payload),
                        NbdRequest.of(NbdCommand.READ, 0, 2, 10, 20));
        for (int split : new int[] {all.readableBytes(), 30, 100, 28 + limit}) {
            EmbeddedChannel ch = new EmbeddedChannel(new NbdRequestDecoder(limit));
            ch.writeInbound(all.retainedSlice(0, split));
            if (split < all.readableBytes()) {
                ch.writeInbound(all.retainedSlice(split, all.readableBytes() - split));
            }
            List<Object> out = drain(ch);
            assertEquals(2, out.size());
            NbdRequest w = (NbdRequest) out.get(0);
            assertTrue(w.payloadDropped());
            assertNull(w.payload());
            assertEquals(limit + 1, w.length());
            w.release();
            NbdRequest r = (NbdRequest) out.get(1);
            assertEquals(NbdCommand.READ, r.command());
            assertEquals(2, r.cookie());
            assertEquals(10, r.offset());
            assertEquals(20, r.length());
            r.release();
            assertFalse(ch.finish());
        }
        all.release();
    }

    @Test
    void hugeLengthsOfNonWriteCommandsConsumeNoPayload() {
        // If any of these were read as a payload, the READ behind them would never appear.
        EmbeddedChannel ch = new EmbeddedChannel(new NbdRequestDecoder());
        ch.writeInbound(
                encode(
                        NbdRequest.of(NbdCommand.TRIM, 0, 1, 0, 0xffffffffL),
                        NbdRequest.of(NbdCommand.WRITE_ZEROES, 0, 2, 0, 0xffffffffL),
                        NbdRequest.of(NbdCommand.BLOCK_STATUS, 0, 3, 0, 0xffffffffL),
                        NbdRequest.of(NbdCommand.CACHE, 0, 4, 0, 0xffffffffL),
                        NbdRequest.of(NbdCommand.READ, 0, 5, 0, 0xffffffffL)));
        List<Object> out = drain(ch);
        assertEquals(5, out.size());
        for (int i = 0; i < 5; i++) {
            NbdRequest r = (NbdRequest) out.get(i);
            assertEquals(i + 1, r.cookie());
            assertNull(r.payload());
            r.release();
        }
        assertFalse(ch.finish());
    }

    private static List<Object> drain(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add(o);
        }
        return out;
    }
}
