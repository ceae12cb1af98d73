package io.sparserandom.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class PayloadBudgetTest {
    private static final int FREE = 4096;
    private static final long LIMIT = PayloadBudget.READ + 8192;
    private final PayloadBudget budget = new PayloadBudget(FREE, LIMIT);

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new NbdRequestDecoder(1 << 20, NbdHeaders.COMPACT, budget));
    }

    private static ByteBuf header(long length) {
        return Unpooled.buffer(NbdMagic.REQUEST_HEADER_SIZE)
                .writeInt(NbdMagic.REQUEST_MAGIC)
                .writeShort(0)
                .writeShort(NbdCommand.WRITE.wireValue())
                .writeLong(7)
                .writeLong(0)
                .writeInt((int) length);
    }

    private static ByteBuf bytes(int n) {
        return Unpooled.wrappedBuffer(new byte[n]);
    }

    @Test
    void aPayloadWithinTheAllowanceDrawsNothing() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(header(FREE), bytes(FREE - 1));
        assertEquals(0, budget.used());
        assertTrue(ch.config().isAutoRead());
        ch.writeInbound(bytes(1));
        NbdRequest r = assertInstanceOf(NbdRequest.class, ch.readInbound());
        r.release();
        assertFalse(ch.finish());
    }

    @Test
    void pastTheBudgetAConnectionStopsReadingUntilAnotherPayloadCompletes() {
        int length = 1 << 20;
        EmbeddedChannel a = channel();
        EmbeddedChannel b = channel();
        // a holds the allowance plus the whole budget: it may still read.
        a.writeInbound(header(length), bytes(FREE + (int) LIMIT));
        assertEquals(LIMIT, budget.used());
        assertTrue(a.config().isAutoRead());
        // b goes past it: b stops reading; what it received is counted.
        b.writeInbound(header(length), bytes(FREE + 100));
        assertEquals(LIMIT + 100, budget.used());
        assertFalse(b.config().isAutoRead());
        assertTrue(ReadPause.PAYLOAD.holds(b));
        // a's payload completes: its bytes go back and b is woken.
        a.writeInbound(bytes(length - FREE - (int) LIMIT));
        NbdRequest r = assertInstanceOf(NbdRequest.class, a.readInbound());
        r.release();
        assertEquals(100, budget.used());
        b.runPendingTasks();
        assertTrue(b.config().isAutoRead());
        // b closing gives back what it held.
        b.finishAndReleaseAll();
        assertEquals(0, budget.used());
        a.finishAndReleaseAll();
    }

    @Test
    void aPauseForRepliesIsNotUndoneByTheBudget() {
        EmbeddedChannel a = channel();
        EmbeddedChannel b = channel();
        a.writeInbound(header(1 << 20), bytes(FREE + (int) LIMIT + 1));
        b.writeInbound(header(1 << 20), bytes(FREE + 1));
        assertFalse(b.config().isAutoRead());
        ReadPause.REPLIES.pause(b);
        a.finishAndReleaseAll();
        b.runPendingTasks();
        assertFalse(ReadPause.PAYLOAD.holds(b));
        assertFalse(b.config().isAutoRead(), "still held for its replies");
        ReadPause.REPLIES.resume(b);
        assertTrue(b.config().isAutoRead());
        b.finishAndReleaseAll();
        assertEquals(0, budget.used());
    }

    @Test
    void aClosedConnectionLeavesTheQueue() {
        EmbeddedChannel a = channel();
        EmbeddedChannel b = channel();
        a.writeInbound(header(1 << 20), bytes(FREE + (int) LIMIT + 1));
        b.writeInbound(header(1 << 20), bytes(FREE + 1));
        b.finishAndReleaseAll();
        assertEquals(LIMIT + 1, budget.used());
        a.finishAndReleaseAll();
        assertEquals(0, budget.used());
        assertNull(a.readInbound());
    }
}
