package io.sparserandom.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The direct buffers a {@link NbdDirectConnection} reads into, handed back when released: a copy
 * keeps a window of them in flight and reuses the same memory all along. Allocating each afresh
 * cost a page fault per 4 KiB as the socket read first touched it (81 000 faults in a 64G copy).
 *
 * <p>All buffers have the largest size asked for so far (a shorter read uses the front of one). One
 * thread at a time, like the connection: a buffer is taken by the lane's read and released by the
 * lane's write once it is on the wire.
 */
final class ReadBuffers {
    /** Free buffers kept at most: beyond a copy's window per connection. */
    private static final int MAX_FREE = 128;

    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private int size;

    /** A buffer of {@code length} bytes, all readable (to be filled in place). */
    ByteBuf take(int length) {
        if (length > size) {
            free.clear(); // smaller than what is asked from now on: let them go
            size = length;
        }
        ByteBuffer b = free.poll();
        if (b == null) {
            b = ByteBuffer.allocateDirect(size);
        }
        ByteBuf buf = new Recycled(b.slice(0, length), b);
        buf.writerIndex(length);
        return buf;
    }

    private void give(ByteBuffer b) {
        if (b.capacity() == size && free.size() < MAX_FREE) {
            free.push(b); // the most recently used first: its pages are the warmest
        }
    }

    /** A buffer that goes back to the free list instead of being freed. */
    private final class Recycled extends UnpooledDirectByteBuf {
        private final ByteBuffer whole;

        Recycled(ByteBuffer view, ByteBuffer whole) {
            super(UnpooledByteBufAllocator.DEFAULT, view, view.capacity());
            this.whole = whole;
        }

        @Override
        protected void deallocate() {
            super.deallocate(); // a wrapped buffer: this frees nothing
            give(whole);
        }
    }
}
