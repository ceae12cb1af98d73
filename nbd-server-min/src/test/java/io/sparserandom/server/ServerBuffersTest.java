package io.sparserandom.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.ForwardingDevice;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.testsupport.RawClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server's buffers come from one pool that reuses its memory. */
@Timeout(60)
class ServerBuffersTest {
    private static final int REQUEST = 256 * 1024; // nbdcopy's

    @TempDir Path dir;

    @Test
    void requestSizedBuffersReuseOneChunk() {
        PooledByteBufAllocator pool = (PooledByteBufAllocator) ServerBuffers.ALLOCATOR;
        assertEquals(2, pool.metric().numDirectArenas());
        long before = pool.metric().usedDirectMemory();
        // Sixteen in flight at once fill one chunk; freed and taken again, they stay in it.
        for (int round = 0; round < 100; round++) {
            List<ByteBuf> held = new ArrayList<>();
            for (int i = 0; i < ServerBuffers.CHUNK_SIZE / REQUEST; i++) {
                held.add(ServerBuffers.ALLOCATOR.directBuffer(REQUEST, REQUEST));
            }
            held.forEach(ByteBuf::release);
        }
        long grown = pool.metric().usedDirectMemory() - before;
        assertTrue(grown <= ServerBuffers.CHUNK_SIZE, grown + " bytes of chunks");
    }

    @Test
    void devicesFillBuffersFromThePool() throws Exception {
        MemoryDevice memory = new MemoryDevice();
        AtomicReference<ByteBufAllocator> seen = new AtomicReference<>();
        try (TestServer ts =
                        TestServer.start(
                                dir,
                                memory,
                                b ->
                                        b.device(
                                                "seen",
                                                "",
                                                c ->
                                                        new ForwardingDevice(memory) {
                                                            @Override
                                                            public ByteBuf readBuffer(
                                                                    long offset,
                                                                    int length,
                                                                    ByteBufAllocator alloc)
                                                                    throws DeviceException {
                                                                seen.set(alloc);
                                                                return super.readBuffer(
                                                                        offset, length, alloc);
                                                            }
                                                        }));
                RawClient c = ts.client()) {
            c.connect("seen", false, false);
            c.send(0, NbdCommand.READ.wireValue(), 1, 0, REQUEST);
            assertEquals(0, c.simpleReply().error());
            assertArrayEquals(memory.copy(0, REQUEST), c.read(REQUEST).array());
            assertSame(ServerBuffers.ALLOCATOR, seen.get());
        }
    }
}
