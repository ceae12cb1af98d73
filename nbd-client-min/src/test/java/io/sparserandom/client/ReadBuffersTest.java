package io.sparserandom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

class ReadBuffersTest {
    @Test
    void aReleasedBufferIsHandedOutAgainAndShortReadsUseItsFront() {
        ReadBuffers pool = new ReadBuffers();
        ByteBuf a = pool.take(256 << 10);
        assertEquals(256 << 10, a.readableBytes());
        long address = a.memoryAddress();
        a.setByte(0, 42);
        a.release();
        ByteBuf b = pool.take(1000);
        assertEquals(1000, b.readableBytes());
        assertEquals(1000, b.capacity());
        assertEquals(address, b.memoryAddress(), "the same memory, reused");
        assertEquals(42, b.getByte(0));
        ByteBuf c = pool.take(256 << 10);
        assertNotEquals(address, c.memoryAddress(), "in use: a second buffer");
        b.release();
        c.release();
    }

    @Test
    void aLargerRequestRetiresTheSmallerBuffers() {
        ReadBuffers pool = new ReadBuffers();
        ByteBuf a = pool.take(4096);
        long small = a.memoryAddress();
        a.release();
        ByteBuf b = pool.take(8192);
        assertEquals(8192, b.readableBytes());
        assertNotEquals(small, b.memoryAddress());
        b.release();
    }
}
