package io.sparserandom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.ServerProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simple reply's request leaves the connection's pending map when the reply's header arrives; its
 * data comes after, over as many socket reads as it takes. The loop must count it as in flight
 * until then: a 32 MiB read, more than a unix socket holds, arrives in pieces.
 */
class NbdDirectSimpleReplyTest {
    @TempDir Path dir;

    @Test
    void aSimpleReplyStillArrivingIsWorkInFlight() throws Exception {
        Interop.require("nbdkit");
        try (ServerProcess s = ServerProcess.nbdkit(dir, "sparse-random", "1G", "seed=4");
                NbdDirectLoop loop = NbdDirectLoop.open()) {
            NbdDirectConnection c =
                    NbdDirectConnection.connect(
                            NbdUri.parse(s.uri()),
                            NbdClientOptions.DEFAULTS.withStructuredReplies(false),
                            loop);
            for (int i = 0; i < 4; i++) {
                ByteBuf data = loop.await(c.read((long) i << 25, 32 << 20));
                try {
                    assertEquals(32 << 20, data.readableBytes());
                } finally {
                    data.release();
                }
            }
        }
    }
}
