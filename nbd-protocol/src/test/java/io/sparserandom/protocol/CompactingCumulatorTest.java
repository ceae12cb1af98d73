package io.sparserandom.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class CompactingCumulatorTest {
    private static final int PAYLOAD = 64 * 1024;

    /** Every buffer the channel and the test allocate, counted. */
    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true);

    private ByteBuf read(int capacity, int bytes, int value) {
        ByteBuf b = alloc.directBuffer(capacity);
        for (int i = 0; i < bytes; i++) {
            b.writeByte(value + i);
        }
        return b;
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(new NbdRequestDecoder());
        return ch;
    }

    private ByteBuf header(long length) {
        ByteBuf h = alloc.directBuffer(NbdMagic.REQUEST_HEADER_SIZE);
        h.writeInt(NbdMagic.REQUEST_MAGIC)
                .writeShort(0)
                .writeShort(NbdCommand.WRITE.wireValue())
                .writeLong(7)
                .writeLong(0)
                .writeInt((int) length);
        return h;
    }

    @Test
    void aTrickledPayloadCostsAboutItsBytesNotAReadBufferPerByte() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(header(PAYLOAD));
        // Each one-byte "socket read" in a 512-byte buffer, the smallest Netty reads into.
        for (int i = 0; i < PAYLOAD - 1; i++) {
            ch.writeInbound(read(512, 1, i));
            if (i % 1024 == 0) {
                long held = alloc.metric().usedDirectMemory();
                assertTrue(held < 2L * i + 64 * 1024, "held " + held + " bytes after " + i);
            }
        }
        assertNull(ch.readInbound(), "the payload is not complete yet");
        ch.writeInbound(read(512, 1, PAYLOAD - 1));
        NbdRequest r = assertInstanceOf(NbdRequest.class, ch.readInbound());
        assertEquals(PAYLOAD, r.payload().readableBytes());
        for (int i = 0; i < PAYLOAD; i++) {
            assertEquals(
                    i & 0xff,
                    r.payload().getUnsignedByte(r.payload().readerIndex() + i),
                    "byte " + i);
        }
        r.release();
        assertFalse(ch.finish());
        assertEquals(0, alloc.metric().usedDirectMemory(), "every buffer released");
    }

    @Test
    void largeReadsStayUncopiedParts() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(header(3 * 65536));
        ByteBuf first = read(65536, 65536, 0);
        ch.writeInbound(first);
        ch.writeInbound(read(65536, 65536, 0));
        ch.writeInbound(read(65536, 65536, 0));
        NbdRequest r = assertInstanceOf(NbdRequest.class, ch.readInbound());
        assertEquals(3 * 65536, r.payload().readableBytes());
        // The three 64 KiB reads (the header was read and freed): nothing was copied.
        assertEquals(3L * 65536, alloc.metric().usedDirectMemory());
        r.release();
        assertFalse(ch.finish());
        assertEquals(0, alloc.metric().usedDirectMemory());
    }
}
