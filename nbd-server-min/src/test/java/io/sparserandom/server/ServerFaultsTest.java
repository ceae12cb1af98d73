package io.sparserandom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.device.BlockSizes;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdErrno;
import io.sparserandom.protocol.NbdOption;
import io.sparserandom.protocol.NbdOptionReply;
import io.sparserandom.testsupport.RawClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server-side faults on the wire, with a raw client. */
class ServerFaultsTest {
    private static final int READ = NbdCommand.READ.wireValue();
    private static final int FLUSH = NbdCommand.FLUSH.wireValue();

    @TempDir Path dir;

    private TestServer start(ServerFaults faults) throws Exception {
        return TestServer.start(dir, new MemoryDevice(), b -> b.faults(faults));
    }

    @Test
    void aDelayedReadDoesNotHoldUpALaterFlush() throws Exception {
        ServerFaults f =
                ServerFaults.builder().delay(NbdCommand.READ, Duration.ofMillis(300)).build();
        try (TestServer s = start(f);
                RawClient c = s.client()) {
            c.connect("", false, false);
            long t0 = System.nanoTime();
            c.send(0, READ, 1, 0, 4096);
            c.send(0, FLUSH, 2, 0, 0);
            RawClient.SimpleReply first = c.simpleReply();
            assertEquals(2, first.cookie(), "the flush overtakes the held read");
            assertTrue(System.nanoTime() - t0 < 250_000_000L, "the flush was not delayed");
            RawClient.SimpleReply second = c.simpleReply();
            assertEquals(1, second.cookie());
            assertEquals(0, second.error());
            c.read(4096);
            assertTrue(System.nanoTime() - t0 >= 300_000_000L, "the read waited its delay");
        }
    }

    @Test
    void blockSizeErrorPolicyAnswersEinvalAndKeepsTheConnection() throws Exception {
        ServerFaults f =
                ServerFaults.builder()
                        .blockSizes(
                                new BlockSizes(4096, 65536, 1 << 20),
                                ServerFaults.Enforcement.ERROR)
                        .build();
        try (TestServer s = start(f);
                RawClient c = s.client()) {
            c.connect("", false, false);
            long[][] bad = {{0, 512}, {512, 4096}, {0, 2 << 20}};
            for (long[] r : bad) {
                c.send(0, READ, 7, r[0], r[1]);
                assertEquals(
                        NbdErrno.EINVAL.wireValue(), c.simpleReply().error(), r[0] + "+" + r[1]);
            }
            c.send(0, READ, 8, 4096, 1 << 20);
            assertEquals(0, c.simpleReply().error(), "the maximum itself is fine");
            c.read(1 << 20);
        }
    }

    @Test
    void blockSizeDisconnectPolicyDropsTheConnection() throws Exception {
        ServerFaults f =
                ServerFaults.builder()
                        .blockSizes(BlockSizes.DEFAULT, ServerFaults.Enforcement.DISCONNECT)
                        .build();
        try (TestServer s = start(f);
                RawClient c = s.client()) {
            c.connect("", false, false);
            c.send(0, READ, 1, 0, 4096);
            assertEquals(0, c.simpleReply().error());
            c.read(4096);
            c.send(0, READ, 2, 0, (32 << 20) + 4096);
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void advertisedBlockSizesFollowTheFaults() throws Exception {
        ServerFaults f =
                ServerFaults.builder()
                        .blockSizes(
                                new BlockSizes(512, 4096, 1 << 20), ServerFaults.Enforcement.ERROR)
                        .build();
        try (TestServer s = start(f);
                RawClient c = s.client()) {
            c.hello();
            c.option(NbdOption.INFO, RawClient.infoRequest("", 3));
            boolean seen = false;
            for (RawClient.OptionReply r : c.optionReplies()) {
                if (r.type() == NbdOptionReply.INFO.wireValue() && r.buf().getShort() == 3) {
                    var b = r.buf();
                    b.getShort();
                    assertEquals(512, b.getInt());
                    assertEquals(4096, b.getInt());
                    assertEquals(1 << 20, b.getInt());
                    seen = true;
                }
            }
            assertTrue(seen, "NBD_INFO_BLOCK_SIZE sent");
        }
    }

    @Test
    void hiddenBaseAllocationIsNeitherListedNorSelected() throws Exception {
        ServerFaults f = ServerFaults.builder().hideBaseAllocation().build();
        try (TestServer s = start(f);
                RawClient c = s.client()) {
            c.hello();
            c.option(NbdOption.STRUCTURED_REPLY, new byte[0]);
            c.optionReply();
            c.option(NbdOption.LIST_META_CONTEXT, RawClient.metaContextRequest(""));
            List<RawClient.OptionReply> list = c.optionReplies();
            assertEquals(1, list.size(), "only the ACK");
            c.option(
                    NbdOption.SET_META_CONTEXT,
                    RawClient.metaContextRequest("", "base:allocation"));
            List<RawClient.OptionReply> set = c.optionReplies();
            assertEquals(1, set.size(), "only the ACK");
            c.go("", false, false);
            c.send(0, NbdCommand.BLOCK_STATUS.wireValue(), 3, 0, 4096);
            RawClient.Chunk e = c.chunk();
            assertEquals(3, e.cookie());
            assertEquals(NbdErrno.EINVAL.wireValue(), e.buf().getInt());
        }
    }

    @Test
    void disconnectAfterDropsEveryConnectionOnceAndNewOnesWork() throws Exception {
        ServerFaults f = ServerFaults.builder().disconnectAfter(100_000).build();
        try (TestServer s = start(f);
                RawClient a = s.client();
                RawClient b = s.client()) {
            a.connect("", false, false);
            b.connect("", false, false);
            a.send(0, READ, 1, 0, 65536);
            assertEquals(0, a.simpleReply().error());
            a.read(65536);
            b.send(0, READ, 2, 0, 65536); // 128K moved: over the limit
            assertTrue(b.closedByServer());
            assertTrue(a.closedByServer(), "every open connection is dropped");
            try (RawClient later = s.client()) {
                later.connect("", false, false);
                for (int i = 0; i < 4; i++) {
                    later.send(0, READ, 3, 0, 65536);
                    assertEquals(0, later.simpleReply().error(), "only once");
                    later.read(65536);
                }
            }
        }
    }

    @Test
    void theRateClockIsSharedAndKeepsNoCreditWhenIdle() {
        FaultState st = new FaultState(ServerFaults.builder().rate(1 << 20).build(), () -> {});
        long now = 1_000_000_000L;
        assertEquals(0, st.rateWait(1 << 20, now), "the first request is served at once");
        assertEquals(1_000_000_000L, st.rateWait(1 << 19, now), "the next waits a second");
        assertEquals(1_500_000_000L, st.rateWait(1, now));
        long later = now + 10_000_000_000L;
        assertEquals(0, st.rateWait(1 << 20, later), "idle time is not saved up...");
        assertEquals(1_000_000_000L, st.rateWait(1, later), "...so no burst follows it");
    }
}
