package io.sparserandom.client;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sparserandom.testsupport.ServerProcess;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a second server implementation: qemu-nbd serving a raw file. */
class NbdClientQemuNbdTest {
    @TempDir Path dir;

    @Test
    void readWriteZeroBlockStatusOnRawFile() throws Exception {
        Path raw = dir.resolve("disk.raw");
        byte[] head = new byte[65536];
        new Random(1).nextBytes(head);
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(16 << 20);
            f.write(head);
        }
        try (ServerProcess s = ServerProcess.qemuNbd(dir, raw);
                NbdClient c = NbdClient.connect(NbdUri.unix(s.socket(), ""))) {
            assertEquals(16 << 20, c.size());
            assertTrue(c.info().structuredReplies());
            assertTrue(c.info().metaContext());
            ByteBuf r = c.pread(0, head.length);
            try {
                assertEquals(Unpooled.wrappedBuffer(head), r);
            } finally {
                r.release();
            }
            List<Extent> ext = c.blockStatus(8 << 20, 1 << 20, false);
            assertTrue(ext.get(0).zero(), ext.toString());
            byte[] more = new byte[100_000];
            new Random(2).nextBytes(more);
            c.pwrite(10 << 20, Unpooled.wrappedBuffer(more), true);
            c.zero(100, 200, false, false);
            c.flush();
        }
        byte[] file = Files.readAllBytes(raw);
        for (int i = 0; i < 1000; i++) {
            byte want = i >= 100 && i < 300 ? 0 : head[i];
            assertEquals(want, file[i], "byte " + i);
        }
        byte[] more = new byte[100_000];
        new Random(2).nextBytes(more);
        for (int i = 0; i < more.length; i++) {
            assertEquals(more[i], file[(10 << 20) + i], "written byte " + i);
        }
    }
}
