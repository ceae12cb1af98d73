package io.sparserandom.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sparserandom.protocol.BlockStatusBuilder;
import io.sparserandom.protocol.NbdDecodeFailure;
import io.sparserandom.protocol.NbdErrno;
import io.sparserandom.protocol.NbdHeaders;
import io.sparserandom.protocol.NbdMagic;
import io.sparserandom.protocol.NbdReply;
import io.sparserandom.protocol.NbdReplyEncoder;
import io.sparserandom.protocol.NbdReplyType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The server's reply encoder (nbd-protocol) against this client's reply decoder: every reply type
 * survives the trip field for field, a stream of replies decodes the same wherever it is split,
 * nothing is left over, and no buffer leaks. Here {@code NbdReply} is the protocol's value (what
 * the server sends); the client's own decoded values are {@code io.sparserandom.client.NbdReply}.
 */
class ReplyCodecRoundTripTest {
    private static final int META_ID = 7;

    private static byte[] random(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    private static ByteBuf data(int n, int seed) {
        return Unpooled.directBuffer(n).writeBytes(random(n, seed));
    }

    /** One reply of every type (a new set each call: data replies own their buffers). */
    private static List<NbdReply> everyType() {
        List<NbdReply.Descriptor> descriptors =
                new BlockStatusBuilder()
                        .add(4096, NbdMagic.STATE_HOLE | NbdMagic.STATE_ZERO)
                        .add(4096, NbdMagic.STATE_HOLE | NbdMagic.STATE_ZERO)
                        .add(1 << 20, 0)
                        .add(0xffff_0000L, NbdMagic.STATE_ZERO)
                        .build();
        return List.of(
                NbdReply.Simple.ok(10),
                NbdReply.Simple.error(11, NbdErrno.ENOSPC),
                NbdReply.Simple.read(12, data(512, 12)),
                new NbdReply.None(13),
                new NbdReply.OffsetData(14, false, 1L << 40, data(300, 14)),
                new NbdReply.OffsetHole(14, false, (1L << 40) + 300, 212),
                new NbdReply.OffsetData(14, true, (1L << 40) + 512, data(1, 15)),
                new NbdReply.OffsetHole(16, true, -512, 512),
                new NbdReply.BlockStatus(17, true, META_ID, descriptors),
                new NbdReply.ErrorChunk(18, true, NbdErrno.EIO, "the disk said no \u2014 twice"),
                new NbdReply.ErrorChunk(19, false, NbdErrno.EOVERFLOW, ""),
                new NbdReply.ErrorOffset(20, true, NbdErrno.EPERM, "read-only", 123456789L),
                new NbdReply.ErrorChunk(
                        -1L, true, NbdErrno.ENOTSUP, "x".repeat(NbdReply.MAX_MESSAGE + 1)));
    }

    /**
     * Every type but the long message (which has no buffer to leak): a stream quick to split many
     * ways.
     */
    private static List<NbdReply> splitStream() {
        List<NbdReply> all = everyType();
        return all.subList(0, all.size() - 1);
    }

    /** What a simple reply's cookie was asking for: bytes of data after a successful reply. */
    private static Map<Long, Long> simpleLengths() {
        Map<Long, Long> m = new HashMap<>();
        m.put(10L, 0L);
        m.put(11L, 4096L); // an error reply carries no data whatever was asked
        m.put(12L, 512L);
        return m;
    }

    private static NbdReplyDecoder decoder() {
        Map<Long, Long> lengths = simpleLengths();
        return new NbdReplyDecoder(
                c -> lengths.getOrDefault(c, -1L),
                NbdReplyDecoder.DEFAULT_MAX_CHUNK_PAYLOAD,
                NbdMagic.MAX_PAYLOAD);
    }

    /** Encodes through the encoder in a channel and concatenates what comes out. */
    private static ByteBuf encode(List<NbdReply> replies) {
        EmbeddedChannel enc = new EmbeddedChannel(new NbdReplyEncoder());
        for (NbdReply r : replies) {
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

    /**
     * The protocol value a decoded reply stands for, read back from its payload by the spec's
     * layout: equal to what was sent, except that error messages may be cut and an absent one
     * arrives as the errno's name. Releases the decoded payload.
     */
    private static Object backToValue(Object decoded) {
        assertInstanceOf(io.sparserandom.client.NbdReply.class, decoded);
        io.sparserandom.client.NbdReply d = (io.sparserandom.client.NbdReply) decoded;
        ByteBuf p = d.payload();
        try {
            if (d instanceof io.sparserandom.client.NbdReply.Simple s) {
                NbdErrno error = s.error() == 0 ? null : NbdErrno.of(s.error());
                return new NbdReply.Simple(
                        s.cookie(), error, p == null ? null : Unpooled.copiedBuffer(p));
            }
            io.sparserandom.client.NbdReply.Chunk c = (io.sparserandom.client.NbdReply.Chunk) d;
            NbdReplyType type = NbdReplyType.of(c.type());
            int at = p.readerIndex();
            return switch (type) {
                case NONE -> {
                    assertTrue(c.done());
                    assertEquals(0, p.readableBytes());
                    yield new NbdReply.None(c.cookie());
                }
                case OFFSET_DATA ->
                        new NbdReply.OffsetData(
                                c.cookie(),
                                c.done(),
                                p.getLong(at),
                                Unpooled.copiedBuffer(p.slice(at + 8, p.readableBytes() - 8)));
                case OFFSET_HOLE -> {
                    assertEquals(12, p.readableBytes());
                    yield new NbdReply.OffsetHole(
                            c.cookie(), c.done(), p.getLong(at), p.getUnsignedInt(at + 8));
                }
                case BLOCK_STATUS -> {
                    assertEquals(4, p.readableBytes() % 8);
                    List<NbdReply.Descriptor> list = new ArrayList<>();
                    for (int i = at + 4; i < p.writerIndex(); i += 8) {
                        list.add(new NbdReply.Descriptor(p.getUnsignedInt(i), p.getInt(i + 4)));
                    }
                    yield new NbdReply.BlockStatus(c.cookie(), c.done(), p.getInt(at), list);
                }
                case BLOCK_STATUS_EXT -> {
                    assertEquals(8, p.readableBytes() % 16);
                    assertEquals((p.readableBytes() - 8) / 16, p.getInt(at + 4), "count");
                    List<NbdReply.ExtDescriptor> list = new ArrayList<>();
                    for (int i = at + 8; i < p.writerIndex(); i += 16) {
                        list.add(new NbdReply.ExtDescriptor(p.getLong(i), p.getLong(i + 8)));
                    }
                    yield new NbdReply.BlockStatusExt(c.cookie(), c.done(), p.getInt(at), list);
                }
                case ERROR, ERROR_OFFSET -> {
                    int len = p.getUnsignedShort(at + 4);
                    String message = p.toString(at + 6, len, StandardCharsets.UTF_8);
                    NbdErrno errno = NbdErrno.of(p.getInt(at));
                    if (type == NbdReplyType.ERROR) {
                        assertEquals(6 + len, p.readableBytes());
                        yield new NbdReply.ErrorChunk(c.cookie(), c.done(), errno, message);
                    }
                    assertEquals(6 + len + 8, p.readableBytes());
                    yield new NbdReply.ErrorOffset(
                            c.cookie(), c.done(), errno, message, p.getLong(at + 6 + len));
                }
            };
        } finally {
            if (p != null) {
                assertTrue(p.refCnt() > 0);
                p.release();
            }
        }
    }

    /**
     * What the client should see for a reply sent: the same, but with an error message as the wire
     * carries it.
     */
    private static Object expected(NbdReply sent) {
        if (sent instanceof NbdReply.ErrorChunk e && e.message().length() > NbdReply.MAX_MESSAGE) {
            return new NbdReply.ErrorChunk(
                    e.cookie(),
                    e.done(),
                    e.error(),
                    e.message().substring(0, NbdReply.MAX_MESSAGE));
        }
        return sent;
    }

    /** Bytes each decoded reply took on the wire. */
    private static int wireSize(Object decoded) {
        io.sparserandom.client.NbdReply d = (io.sparserandom.client.NbdReply) decoded;
        int header =
                d instanceof io.sparserandom.client.NbdReply.Simple
                        ? NbdMagic.SIMPLE_REPLY_HEADER_SIZE
                        : NbdMagic.STRUCTURED_REPLY_HEADER_SIZE;
        return header + (d.payload() == null ? 0 : d.payload().readableBytes());
    }

    @Test
    void everyReplyTypeRoundTrips() {
        List<NbdReply> expected = everyType();
        List<NbdReply> sent = everyType();
        for (int i = 0; i < sent.size(); i++) {
            NbdReply reply = sent.get(i);
            ByteBuf payload = reply.payload();
            ByteBuf wire = encode(List.of(reply));
            assertTrue(
                    payload == null || payload.refCnt() == 0, "the encoder handed the payload on");
            EmbeddedChannel dec = new EmbeddedChannel(decoder());
            dec.writeInbound(wire);
            Object decoded = dec.readInbound();
            assertNull(dec.readInbound());
            assertEquals(
                    wire.writerIndex(), wireSize(decoded), "one reply, all its bytes: " + reply);
            Object back = backToValue(decoded);
            assertEquals(expected(expected.get(i)), back);
            assertFalse(dec.finish());
            assertEquals(0, wire.refCnt());
            release(back);
        }
        expected.forEach(NbdReply::release);
    }

    @Test
    void streamSplitAtEveryByteBoundary() {
        List<NbdReply> expected = splitStream();
        ByteBuf stream = encode(splitStream());
        for (int split = 0; split <= stream.readableBytes(); split++) {
            EmbeddedChannel dec = new EmbeddedChannel(decoder());
            dec.writeInbound(stream.retainedSlice(0, split));
            dec.writeInbound(stream.retainedSlice(split, stream.readableBytes() - split));
            int bytes = 0;
            List<Object> back = new ArrayList<>();
            Object o;
            while ((o = dec.readInbound()) != null) {
                bytes += wireSize(o);
                back.add(backToValue(o));
            }
            assertEquals(stream.readableBytes(), bytes, "nothing left over, split at " + split);
            assertEquals(
                    expected.stream().map(ReplyCodecRoundTripTest::expected).toList(),
                    back,
                    "split at " + split);
            back.forEach(ReplyCodecRoundTripTest::release);
            assertFalse(dec.finish());
            assertEquals(
                    1, stream.refCnt(), "every slice of the stream released, split at " + split);
        }
        stream.release();
        expected.forEach(NbdReply::release);
    }

    @Test
    void byteByByteWithNothingLeftOver() {
        List<NbdReply> expected = splitStream();
        ByteBuf stream = encode(splitStream());
        EmbeddedChannel dec = new EmbeddedChannel(decoder());
        List<Object> back = new ArrayList<>();
        for (int i = 0; i < stream.readableBytes(); i++) {
            dec.writeInbound(stream.retainedSlice(i, 1));
            Object o;
            while ((o = dec.readInbound()) != null) {
                assertInstanceOf(io.sparserandom.client.NbdReply.class, o, "no decode failure");
                back.add(backToValue(o));
            }
        }
        assertEquals(expected.stream().map(ReplyCodecRoundTripTest::expected).toList(), back);
        back.forEach(ReplyCodecRoundTripTest::release);
        assertFalse(dec.finish());
        assertEquals(1, stream.refCnt());
        stream.release();
        expected.forEach(NbdReply::release);
    }

    @Test
    void aTruncatedStreamDecodesOnlyWholeReplies() {
        List<NbdReply> sent = everyType();
        int count = sent.size();
        ByteBuf stream = encode(sent);
        EmbeddedChannel dec = new EmbeddedChannel(decoder());
        dec.writeInbound(stream.retainedSlice(0, stream.readableBytes() - 1));
        int n = 0;
        Object o;
        while ((o = dec.readInbound()) != null) {
            assertFalse(o instanceof NbdDecodeFailure);
            release(backToValue(o));
            n++;
        }
        assertEquals(count - 1, n, "the last reply waits for its last byte");
        dec.finishAndReleaseAll();
        assertEquals(1, stream.refCnt());
        stream.release();
    }

    /**
     * Through the whole client pipeline: replies the encoder makes are the bytes the client's own
     * hand-written test stream holds, and the requests complete with the expected results.
     */
    @Test
    void theClientUnderstandsTheServersReplies() {
        List<NbdReply> replies =
                List.of(
                        new NbdReply.OffsetData(
                                1,
                                false,
                                4096,
                                Unpooled.wrappedBuffer(NbdReplyDecoderTest.bytes(1000, 1))),
                        new NbdReply.BlockStatus(
                                2,
                                true,
                                NbdReplyDecoderTest.META_ID,
                                new BlockStatusBuilder().add(4096, 3).add(1 << 20, 0).build()),
                        new NbdReply.OffsetHole(1, false, 5096, 3000),
                        new NbdReply.OffsetData(
                                1,
                                true,
                                8096,
                                Unpooled.wrappedBuffer(NbdReplyDecoderTest.bytes(96, 2))),
                        new NbdReply.ErrorChunk(3, true, NbdErrno.ENOSPC, "disk full"),
                        NbdReply.Simple.ok(4),
                        NbdReply.Simple.read(
                                5, Unpooled.wrappedBuffer(NbdReplyDecoderTest.bytes(512, 3))));
        ByteBuf stream = encode(replies);
        ByteBuf handWritten = NbdReplyDecoderTest.goodStream();
        assertArrayEquals(ByteBufUtil.getBytes(handWritten), ByteBufUtil.getBytes(stream));
        handWritten.release();

        NbdReplyDecoderTest test = new NbdReplyDecoderTest();
        for (int split = 0; split <= stream.readableBytes(); split += 7) {
            NbdReplyDecoderTest.Harness h = new NbdReplyDecoderTest.Harness();
            List<CompletableFuture<Object>> fs = test.sendGood(h);
            h.feed(stream.retainedSlice(0, split));
            h.feed(stream.retainedSlice(split, stream.readableBytes() - split));
            test.checkGoodResults(fs);
            assertNull(h.handler.failure());
            assertFalse(h.handler.hasPending());
            assertFalse(h.ch.finish());
        }
        assertEquals(1, stream.refCnt());
        stream.release();
    }

    /** Every chunk type allowed with extended headers; request offsets are 1000 + cookie. */
    private static List<NbdReply.Chunk> extendedChunks() {
        return List.of(
                new NbdReply.None(13),
                new NbdReply.OffsetData(14, false, 1L << 40, data(300, 14)),
                new NbdReply.OffsetHole(14, true, (1L << 40) + 300, 212),
                new NbdReply.BlockStatusExt(
                        17,
                        true,
                        META_ID,
                        BlockStatusBuilder.extended()
                                .add(5L << 40, NbdMagic.STATE_HOLE | NbdMagic.STATE_ZERO)
                                .add(4096, 0)
                                .buildExt()),
                new NbdReply.ErrorChunk(18, true, NbdErrno.EIO, "no"),
                new NbdReply.ErrorOffset(20, true, NbdErrno.EPERM, "read-only", 123456789L));
    }

    private static NbdReplyDecoder extendedDecoder() {
        return new NbdReplyDecoder(
                new NbdReplyDecoder.ReplyLengths() {
                    @Override
                    public long simpleReplyLength(long cookie) {
                        return -1;
                    }

                    @Override
                    public long requestOffset(long cookie) {
                        return 1000 + cookie;
                    }
                },
                NbdReplyDecoder.DEFAULT_MAX_CHUNK_PAYLOAD,
                NbdMagic.MAX_PAYLOAD,
                NbdHeaders.EXTENDED);
    }

    @Test
    void extendedChunksRoundTripSplitAtEveryByte() {
        List<NbdReply.Chunk> expected = extendedChunks();
        List<NbdReply> sent =
                extendedChunks().stream()
                        .map(c -> (NbdReply) new NbdReply.Extended(1000 + c.cookie(), c))
                        .toList();
        ByteBuf stream = encode(sent);
        for (int split = 0; split <= stream.readableBytes(); split++) {
            EmbeddedChannel dec = new EmbeddedChannel(extendedDecoder());
            dec.writeInbound(stream.retainedSlice(0, split));
            dec.writeInbound(stream.retainedSlice(split, stream.readableBytes() - split));
            int bytes = 0;
            List<Object> back = new ArrayList<>();
            Object o;
            while ((o = dec.readInbound()) != null) {
                io.sparserandom.client.NbdReply d =
                        assertInstanceOf(io.sparserandom.client.NbdReply.class, o);
                bytes += NbdMagic.EXTENDED_REPLY_HEADER_SIZE + d.payload().readableBytes();
                back.add(backToValue(o));
            }
            assertEquals(stream.readableBytes(), bytes, "nothing left over, split at " + split);
            assertEquals(expected, back, "split at " + split);
            back.forEach(ReplyCodecRoundTripTest::release);
            assertFalse(dec.finish());
        }
        assertEquals(1, stream.refCnt());
        stream.release();
        expected.forEach(NbdReply::release);
    }

    @Test
    void extendedHeadersAcceptOnlyTheirMagicAndTheRequestOffset() {
        // A structured chunk where extended ones were negotiated, an extended chunk on a compact
        // connection, and an extended chunk whose offset is not the request's: each loses the
        // stream.
        ByteBuf structured = encode(List.of(new NbdReply.None(13)));
        ByteBuf extended = encode(List.of(new NbdReply.Extended(1013, new NbdReply.None(13))));
        ByteBuf wrongOffset = encode(List.of(new NbdReply.Extended(5, new NbdReply.None(13))));
        Object[][] cases = {
            {extendedDecoder(), structured, "668e33ef"},
            {decoder(), extended, "6e8a278c"},
            {extendedDecoder(), wrongOffset, "offset 5"},
        };
        for (Object[] c : cases) {
            EmbeddedChannel dec = new EmbeddedChannel((NbdReplyDecoder) c[0]);
            dec.writeInbound(c[1]);
            NbdDecodeFailure f = assertInstanceOf(NbdDecodeFailure.class, dec.readInbound());
            assertTrue(f.message().contains((String) c[2]), f.message());
            assertFalse(dec.finish());
        }
    }

    private static void release(Object value) {
        if (value instanceof NbdReply r) {
            r.release();
        }
    }
}
