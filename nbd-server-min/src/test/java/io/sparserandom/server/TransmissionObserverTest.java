package io.sparserandom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdTransmissionFlag;
import io.sparserandom.testsupport.RawClient;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The observer sees the moments the spec's flush rule is stated in: a FLUSH pipelined right behind
 * a write arrives before that write's reply has left; one sent after the reply arrives after it.
 */
@Timeout(30)
class TransmissionObserverTest {
    private static final int WRITE = NbdCommand.WRITE.wireValue();
    private static final int FLUSH = NbdCommand.FLUSH.wireValue();
    private static final int TRIM = NbdCommand.TRIM.wireValue();

    @TempDir Path dir;
    TestServer ts;
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Integer> flags = new CopyOnWriteArrayList<>();
    final CountDownLatch closed = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        ts =
                TestServer.start(
                        dir,
                        new MemoryDevice(),
                        b ->
                                b.transmissionObserver(
                                        (c, f) -> {
                                            flags.add(f);
                                            return new Recorder();
                                        }));
    }

    @AfterEach
    void stop() {
        ts.close();
    }

    private final class Recorder implements TransmissionObserver {
        @Override
        public void requestArrived(NbdCommand command, long offset, long length) {
            events.add("arrived " + command + " " + offset);
        }

        @Override
        public void replySent(NbdCommand command, long offset, long length, boolean ok) {
            events.add("sent " + command + " " + offset + (ok ? "" : " error"));
        }

        @Override
        public void closed() {
            closed.countDown();
        }
    }

    @Test
    void aFlushPipelinedBehindAWriteArrivesBeforeTheWritesReplyLeaves() throws Exception {
        try (RawClient c = ts.client()) {
            c.connect("", false, false);
            byte[] data = new byte[4096];
            ByteBuffer write = RawClient.request(0, WRITE, 1, 0, data.length, data);
            ByteBuffer flush = RawClient.request(0, FLUSH, 2, 0, 0, null);
            // One socket write: both requests are handled in one read batch.
            c.write(
                    ByteBuffer.allocate(write.remaining() + flush.remaining())
                            .put(write)
                            .put(flush)
                            .flip());
            assertEquals(0, c.simpleReply().error());
            assertEquals(0, c.simpleReply().error());
            // Sequential: the next flush comes after the write's reply was read.
            c.sendWrite(0, 3, 8192, data);
            assertEquals(0, c.simpleReply().error());
            c.send(0, FLUSH, 4, 0, 0);
            assertEquals(0, c.simpleReply().error());
        }
        assertTrue(closed.await(10, TimeUnit.SECONDS));
        assertEquals(
                List.of(
                        "arrived WRITE 0",
                        "arrived FLUSH 0",
                        "sent WRITE 0",
                        "sent FLUSH 0",
                        "arrived WRITE 8192",
                        "sent WRITE 8192",
                        "arrived FLUSH 0",
                        "sent FLUSH 0"),
                events);
        int f = flags.get(0);
        assertTrue((f & NbdTransmissionFlag.SEND_FLUSH) != 0);
        assertTrue((f & NbdTransmissionFlag.CAN_MULTI_CONN) != 0);
    }

    @Test
    void errorsAreReportedAsNotOk() throws Exception {
        try (RawClient c = ts.client()) {
            c.connect("", false, false);
            c.send(0, TRIM, 1, Long.MAX_VALUE - 10, 4096); // beyond the end: EINVAL
            assertTrue(c.simpleReply().error() != 0);
        }
        assertTrue(closed.await(10, TimeUnit.SECONDS));
        assertEquals(
                List.of(
                        "arrived TRIM " + (Long.MAX_VALUE - 10),
                        "sent TRIM " + (Long.MAX_VALUE - 10) + " error"),
                events);
    }
}
