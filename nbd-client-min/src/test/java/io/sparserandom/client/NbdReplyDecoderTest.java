package io.sparserandom.client;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdErrno;
import io.sparserandom.protocol.NbdMagic;
import io.sparserandom.protocol.NbdReplyType;
import io.sparserandom.protocol.NbdRequest;
import io.sparserandom.protocol.NbdRequestEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The transmission-phase client pipeline (encoder, reply decoder, handler) without sockets: replies
 * are fed as bytes, whole, split at every byte boundary, corrupted or random. Whatever arrives, no
 * exception escapes, every future completes, and nothing leaks (surefire runs with paranoid leak
 * detection; buffers are also checked by refCnt here).
 */
class NbdReplyDecoderTest {
    static final int META_ID = 7;
    static final NbdExportInfo INFO =
            new NbdExportInfo(1 << 20, 0xffff, 1, 4096, 1 << 25, true, META_ID, true, false);

    /** A pipeline like a connected client's, and a way to send requests through it. */
    static final class Harness {
        final NbdClientHandler handler = new NbdClientHandler(INFO, 0);
        final EmbeddedChannel ch =
                new EmbeddedChannel(
                        new NbdRequestEncoder(),
                        new NbdReplyDecoder(handler, 1 << 16, 1 << 20),
                        handler);

        CompletableFuture<Object> send(NbdCommand cmd, long cookie, long offset, long length) {
            NbdClientHandler.Pending p =
                    new NbdClientHandler.Pending(NbdRequest.of(cmd, 0, cookie, offset, length));
            ch.writeOutbound(p);
            ByteBuf out;
            while ((out = ch.readOutbound()) != null) {
                out.release();
            }
            return p.future;
        }

        void feed(ByteBuf bytes) {
            ch.writeInbound(bytes);
            Object o;
            while ((o = ch.readInbound()) != null) {
                fail("nothing should pass the handler: " + o);
            }
            ch.checkException();
        }
    }

    static ByteBuf simple(long cookie, int error, byte[] data) {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(NbdMagic.SIMPLE_REPLY_MAGIC).writeInt(error).writeLong(cookie);
        if (data != null) {
            b.writeBytes(data);
        }
        return b;
    }

    static ByteBuf chunk(long cookie, int flags, int type, ByteBuf payload) {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(NbdMagic.STRUCTURED_REPLY_MAGIC)
                .writeShort(flags)
                .writeShort(type)
                .writeLong(cookie)
                .writeInt(payload.readableBytes())
                .writeBytes(payload);
        payload.release();
        return b;
    }

    static ByteBuf data(long offset, byte[] bytes) {
        return Unpooled.buffer().writeLong(offset).writeBytes(bytes);
    }

    static ByteBuf hole(long offset, int length) {
        return Unpooled.buffer().writeLong(offset).writeInt(length);
    }

    static ByteBuf error(int errno, String msg) {
        byte[] m = msg.getBytes(StandardCharsets.UTF_8);
        return Unpooled.buffer().writeInt(errno).writeShort(m.length).writeBytes(m);
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * A valid reply stream for three requests: a chunked read with a hole, a block status, an
     * error.
     */
    static ByteBuf goodStream() {
        ByteBuf all = Unpooled.buffer();
        all.writeBytes(
                chunk(1, 0, NbdReplyType.OFFSET_DATA.wireValue(), data(4096, bytes(1000, 1))));
        all.writeBytes(
                chunk(
                        2,
                        NbdReplyType.FLAG_DONE,
                        NbdReplyType.BLOCK_STATUS.wireValue(),
                        Unpooled.buffer()
                                .writeInt(META_ID)
                                .writeInt(4096)
                                .writeInt(3)
                                .writeInt(1 << 20)
                                .writeInt(0)));
        all.writeBytes(chunk(1, 0, NbdReplyType.OFFSET_HOLE.wireValue(), hole(5096, 3000)));
        all.writeBytes(
                chunk(
                        1,
                        NbdReplyType.FLAG_DONE,
                        NbdReplyType.OFFSET_DATA.wireValue(),
                        data(8096, bytes(96, 2))));
        all.writeBytes(
                chunk(
                        3,
                        NbdReplyType.FLAG_DONE,
                        NbdReplyType.ERROR.wireValue(),
                        error(28, "disk full")));
        all.writeBytes(simple(4, 0, null));
        all.writeBytes(simple(5, 0, bytes(512, 3)));
        return all;
    }

    void checkGoodResults(List<CompletableFuture<Object>> fs) {
        ByteBuf read = (ByteBuf) fs.get(0).join();
        try {
            assertEquals(4096, read.readableBytes());
            assertArrayEquals(bytes(1000, 1), bytesOf(read, 0, 1000));
            assertArrayEquals(new byte[3000], bytesOf(read, 1000, 3000));
            assertArrayEquals(bytes(96, 2), bytesOf(read, 4000, 96));
        } finally {
            read.release();
        }
        @SuppressWarnings("unchecked")
        List<Extent> ext = (List<Extent>) fs.get(1).join();
        assertEquals(List.of(new Extent(4096, 3), new Extent(8192 - 4096, 0)), ext);
        CompletionException e = assertThrows(CompletionException.class, () -> fs.get(2).join());
        NbdException ne = assertInstanceOf(NbdException.class, e.getCause());
        assertEquals(NbdErrno.ENOSPC, ne.errno());
        assertEquals("disk full", ne.serverMessage());
        assertNull(fs.get(3).join());
        ByteBuf r5 = (ByteBuf) fs.get(4).join();
        assertArrayEquals(bytes(512, 3), bytesOf(r5, 0, 512));
        r5.release();
    }

    List<CompletableFuture<Object>> sendGood(Harness h) {
        List<CompletableFuture<Object>> fs = new ArrayList<>();
        fs.add(h.send(NbdCommand.READ, 1, 4096, 4096));
        fs.add(h.send(NbdCommand.BLOCK_STATUS, 2, 0, 8192));
        fs.add(h.send(NbdCommand.WRITE_ZEROES, 3, 0, 4096));
        fs.add(h.send(NbdCommand.FLUSH, 4, 0, 0));
        fs.add(h.send(NbdCommand.READ, 5, 0, 512));
        return fs;
    }

    static byte[] bytesOf(ByteBuf b, int at, int n) {
        byte[] out = new byte[n];
        b.getBytes(b.readerIndex() + at, out);
        return out;
    }

    @Test
    void wholeStream() {
        Harness h = new Harness();
        List<CompletableFuture<Object>> fs = sendGood(h);
        h.feed(goodStream());
        checkGoodResults(fs);
        assertFalse(h.handler.hasPending());
        assertFalse(h.ch.finish());
    }

    @Test
    void splitAtEveryByteBoundary() {
        ByteBuf stream = goodStream();
        for (int split = 1; split < stream.readableBytes(); split++) {
            Harness h = new Harness();
            List<CompletableFuture<Object>> fs = sendGood(h);
            h.feed(stream.retainedSlice(0, split));
            h.feed(stream.retainedSlice(split, stream.readableBytes() - split));
            checkGoodResults(fs);
            assertNull(h.handler.failure(), "split at " + split);
            h.ch.finish();
        }
        stream.release();
    }

    @Test
    void byteByByte() {
        ByteBuf stream = goodStream();
        Harness h = new Harness();
        List<CompletableFuture<Object>> fs = sendGood(h);
        for (int i = 0; i < stream.readableBytes(); i++) {
            h.feed(stream.retainedSlice(i, 1));
        }
        stream.release();
        checkGoodResults(fs);
        h.ch.finish();
    }

    /**
     * Feeds a bad stream and checks every pending request fails with a protocol error and the
     * channel closes.
     */
    void expectProtocolError(ByteBuf bad, String fragment, long... cookies) {
        Harness h = new Harness();
        List<CompletableFuture<Object>> fs = new ArrayList<>();
        for (long c : cookies) {
            fs.add(h.send(NbdCommand.READ, c, 0, 4096));
        }
        h.feed(bad);
        for (CompletableFuture<Object> f : fs) {
            assertTrue(f.isDone());
            CompletionException e = assertThrows(CompletionException.class, f::join);
            assertInstanceOf(NbdProtocolException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains(fragment), e.getCause().getMessage());
        }
        assertFalse(h.ch.isOpen(), "connection closed after a protocol error");
        assertNotNull(h.handler.failure());
        h.ch.finishAndReleaseAll();
    }

    @Test
    void badMagic() {
        expectProtocolError(
                Unpooled.buffer().writeInt(0x12345678).writeZero(40), "bad reply magic", 1, 2);
    }

    @Test
    void unknownCookieSimple() {
        expectProtocolError(simple(42, 0, null), "unknown cookie 42", 1);
    }

    @Test
    void unknownCookieChunk() {
        expectProtocolError(chunk(42, 1, 0, Unpooled.buffer()), "unknown cookie 42", 1);
    }

    @Test
    void chunkAfterDone() {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(chunk(1, 1, NbdReplyType.OFFSET_HOLE.wireValue(), hole(0, 4096)));
        b.writeBytes(chunk(1, 1, NbdReplyType.NONE.wireValue(), Unpooled.buffer()));
        expectProtocolError(b, "unknown cookie 1", 2);
    }

    @Test
    void oversizedChunk() {
        ByteBuf b =
                Unpooled.buffer()
                        .writeInt(NbdMagic.STRUCTURED_REPLY_MAGIC)
                        .writeShort(1)
                        .writeShort(NbdReplyType.OFFSET_DATA.wireValue())
                        .writeLong(1)
                        .writeInt(1 << 30);
        expectProtocolError(b, "exceeds limit", 1, 2);
    }

    @Test
    void chunkOutsideRequest() {
        expectProtocolError(
                chunk(1, 1, NbdReplyType.OFFSET_DATA.wireValue(), data(4000, bytes(200, 1))),
                "outside the request",
                1);
        expectProtocolError(
                chunk(1, 1, NbdReplyType.OFFSET_HOLE.wireValue(), hole(-8, 16)),
                "outside the request",
                1);
        expectProtocolError(
                chunk(1, 1, NbdReplyType.OFFSET_HOLE.wireValue(), hole(0, 0xffff_ffff)),
                "outside the request",
                1);
    }

    @Test
    void overlappingChunks() {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(chunk(1, 0, NbdReplyType.OFFSET_HOLE.wireValue(), hole(0, 4096)));
        b.writeBytes(chunk(1, 1, NbdReplyType.OFFSET_HOLE.wireValue(), hole(0, 512)));
        expectProtocolError(b, "overlap", 1);
    }

    @Test
    void incompleteReadCoverage() {
        expectProtocolError(
                chunk(1, 1, NbdReplyType.OFFSET_HOLE.wireValue(), hole(0, 512)),
                "covers 512 of 4096",
                1);
    }

    @Test
    void malformedErrorChunk() {
        expectProtocolError(
                chunk(
                        1,
                        1,
                        NbdReplyType.ERROR.wireValue(),
                        Unpooled.buffer().writeInt(5).writeShort(100).writeBytes(new byte[3])),
                "message length",
                1);
    }

    @Test
    void blockStatusForWrongContext() {
        Harness h = new Harness();
        CompletableFuture<Object> f = h.send(NbdCommand.BLOCK_STATUS, 1, 0, 4096);
        h.feed(
                chunk(
                        1,
                        1,
                        NbdReplyType.BLOCK_STATUS.wireValue(),
                        Unpooled.buffer().writeInt(META_ID + 1).writeInt(4096).writeInt(0)));
        CompletionException e = assertThrows(CompletionException.class, f::join);
        assertInstanceOf(NbdProtocolException.class, e.getCause());
        h.ch.finishAndReleaseAll();
    }

    @Test
    void serverCloseFailsPending() {
        Harness h = new Harness();
        CompletableFuture<Object> f = h.send(NbdCommand.READ, 1, 0, 4096);
        h.feed(chunk(1, 0, NbdReplyType.OFFSET_HOLE.wireValue(), hole(0, 512)));
        h.feed(simple(7, 0, null).slice(0, 6)); // truncated garbage then close
        h.ch.close();
        CompletionException e = assertThrows(CompletionException.class, f::join);
        assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
        h.ch.finishAndReleaseAll();
    }

    @Test
    void randomBytesNeverEscapeOrHang() {
        Random rnd = new Random(12345);
        for (int round = 0; round < 500; round++) {
            Harness h = new Harness();
            List<CompletableFuture<Object>> fs = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                fs.add(h.send(i == 2 ? NbdCommand.BLOCK_STATUS : NbdCommand.READ, i, 0, 4096));
            }
            // Start from a valid prefix sometimes, so corruption also hits deeper states.
            ByteBuf in = Unpooled.buffer();
            if (rnd.nextBoolean()) {
                ByteBuf good = goodStream();
                in.writeBytes(good, 0, rnd.nextInt(good.readableBytes()));
                good.release();
            }
            byte[] junk = new byte[rnd.nextInt(200)];
            rnd.nextBytes(junk);
            if (rnd.nextBoolean() && junk.length >= 4) {
                int magic =
                        rnd.nextBoolean()
                                ? NbdMagic.SIMPLE_REPLY_MAGIC
                                : NbdMagic.STRUCTURED_REPLY_MAGIC;
                junk[0] = (byte) (magic >>> 24);
                junk[1] = (byte) (magic >>> 16);
                junk[2] = (byte) (magic >>> 8);
                junk[3] = (byte) magic;
            }
            in.writeBytes(junk);
            h.feed(in);
            h.ch.close(); // the server goes away: everything still pending must fail
            for (CompletableFuture<Object> f : fs) {
                assertTrue(f.isDone(), "round " + round);
                if (!f.isCompletedExceptionally() && f.join() instanceof ByteBuf b) {
                    b.release();
                }
            }
            h.ch.finishAndReleaseAll();
        }
    }

    /**
     * Read data spread over two socket reads is handed on as slices of those two reads, without a
     * copy, and holds nothing else: once the data is released, so are the reads.
     */
    @Test
    void readDataOverTwoSocketReadsHoldsOnlyThoseReadsUntilReleased() {
        Harness h = new Harness();
        byte[] data = new byte[64 * 1024]; // both reads too big to be merged by the cumulator
        new Random(3).nextBytes(data);
        CompletableFuture<Object> f = h.send(NbdCommand.READ, 1, 0, data.length);
        ByteBuf reply = simple(1, 0, data);
        ByteBuf first = Unpooled.copiedBuffer(reply.readSlice(20_000));
        ByteBuf second = Unpooled.copiedBuffer(reply);
        reply.release();
        h.feed(first);
        assertFalse(f.isDone());
        h.feed(second);
        ByteBuf got = (ByteBuf) f.join();
        assertEquals(Unpooled.wrappedBuffer(data), got);
        assertTrue(first.refCnt() > 0, "handed on without a copy");
        got.release();
        assertEquals(0, first.refCnt(), "the first read is still held");
        assertEquals(0, second.refCnt(), "the second read is still held");
        assertFalse(h.ch.finish());
    }

    /**
     * Read data spread over more than two socket reads is copied out: slices would keep every read
     * alive, whole, until the data is written (the copier ran out of direct memory over TCP that
     * way).
     */
    @Test
    void readDataSpreadOverManySocketReadsDoesNotHoldThem() {
        Harness h = new Harness();
        byte[] data = new byte[64 * 1024];
        new Random(4).nextBytes(data);
        CompletableFuture<Object> f = h.send(NbdCommand.READ, 1, 0, data.length);
        ByteBuf reply = simple(1, 0, data);
        ByteBuf first = Unpooled.copiedBuffer(reply.readSlice(20_000));
        ByteBuf second = Unpooled.copiedBuffer(reply.readSlice(20_000));
        ByteBuf third = Unpooled.copiedBuffer(reply);
        reply.release();
        h.feed(first);
        h.feed(second);
        assertFalse(f.isDone());
        h.feed(third);
        ByteBuf got = (ByteBuf) f.join();
        try {
            assertEquals(Unpooled.wrappedBuffer(data), got);
            assertEquals(0, first.refCnt(), "the first read is still held");
            assertEquals(0, second.refCnt(), "the second read is still held");
            assertEquals(0, third.refCnt(), "the third read is still held");
        } finally {
            got.release();
        }
        assertFalse(h.ch.finish());
    }
}
