package io.sparserandom.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.ForwardingDevice;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdErrno;
import io.sparserandom.testsupport.RawClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Past the launcher's memory caps a request fails with ENOMEM; the connection stays usable. */
@Timeout(60)
class MemoryCapTest {
    private static final int READ = NbdCommand.READ.wireValue();

    @TempDir Path dir;

    @Test
    void aReadPastTheDirectMemoryCapIsEnomemAndTheConnectionStays() throws Exception {
        MemoryDevice memory = new MemoryDevice();
        try (TestServer ts =
                        TestServer.start(
                                dir,
                                memory,
                                b ->
                                        b.device(
                                                "capped",
                                                "",
                                                c ->
                                                        new ForwardingDevice(memory) {
                                                            @Override
                                                            public ByteBuf readBuffer(
                                                                    long offset,
                                                                    int length,
                                                                    ByteBufAllocator alloc)
                                                                    throws DeviceException {
                                                                if (length > 4096) {
                                                                    // What Netty throws at its cap.
                                                                    throw new OutOfMemoryError(
                                                                            "failed to allocate "
                                                                                    + length
                                                                                    + " byte(s) of direct memory");
                                                                }
                                                                return super.readBuffer(
                                                                        offset, length, alloc);
                                                            }
                                                        }));
                RawClient c = ts.client()) {
            c.connect("capped", false, false);
            c.send(0, READ, 1, 0, 1 << 20);
            assertEquals(NbdErrno.ENOMEM.wireValue(), c.simpleReply().error());
            c.send(0, READ, 2, 0, 4096);
            RawClient.SimpleReply ok = c.simpleReply();
            assertEquals(0, ok.error());
            assertEquals(2, ok.cookie());
            assertArrayEquals(memory.copy(0, 4096), c.read(4096).array());
        }
    }
}
