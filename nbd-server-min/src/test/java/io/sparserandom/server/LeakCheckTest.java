package io.sparserandom.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak check itself must be able to fail. */
class LeakCheckTest {
    @Test
    void aDroppedBufferIsReported() throws Exception {
        LeakCheck.collectLeaks();
        leakOne();
        List<String> leaks = LeakCheck.collectLeaks();
        assertFalse(leaks.isEmpty(), "a buffer that was never released must be reported");
        assertTrue(leaks.get(0).contains("ByteBuf"), leaks.get(0));
    }

    private static void leakOne() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(42);
    }
}
