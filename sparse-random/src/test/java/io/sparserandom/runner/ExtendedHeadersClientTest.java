package io.sparserandom.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.sparserandom.client.Extent;
import io.sparserandom.client.NbdClient;
import io.sparserandom.client.NbdClientOptions;
import io.sparserandom.client.NbdException;
import io.sparserandom.client.NbdUri;
import io.sparserandom.generator.DiskParams;
import io.sparserandom.generator.SparseRandomDisk;
import io.sparserandom.server.TlsConfig;
import io.sparserandom.verifier.CoverageLedger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Java client against our server with extended headers: negotiated by default, a 4E disk's map
 * in one BLOCK_STATUS request with 64-bit extents, 64-bit zeroes, and verified writes as before;
 * with compact headers the same question gets 32-bit pieces.
 */
class ExtendedHeadersClientTest {
    private static final long EXA = 1L << 60;
    private static final long TERA = 1L << 40;

    private static CaptiveServer serve(double percent, long runlength) throws Exception {
        DiskParams p =
                new DiskParams(4 * EXA, 1, percent, runlength, false, DiskParams.Model.DEFAULT);
        return CaptiveServer.start(
                SparseRandomDisk.create(p),
                Endpoint.unix("-", ""),
                false,
                null,
                new CoverageLedger(),
                TlsConfig.OFF);
    }

    private static NbdClient connect(CaptiveServer s, NbdClientOptions o) throws Exception {
        return NbdClient.connect(NbdUri.parse(s.endpoint().uri()), o);
    }

    @Test
    void anEmptyFourExabyteDiskIsOneExtent() throws Exception {
        try (CaptiveServer s = serve(0, DiskParams.DEFAULT_RUNLENGTH);
                NbdClient c = connect(s, NbdClientOptions.DEFAULTS)) {
            assertTrue(c.info().extendedHeaders(), c.info().toString());
            List<Extent> map = c.blockStatus(0, c.size(), false);
            assertEquals(1, map.size(), map.toString());
            assertEquals(4 * EXA, map.get(0).length());
            assertTrue(map.get(0).hole() && map.get(0).zero());
            // One WRITE_ZEROES for the whole disk, verified as a hole being zeroed.
            c.zero(0, c.size(), false, false);
        }
        try (CaptiveServer s = serve(0, DiskParams.DEFAULT_RUNLENGTH);
                NbdClient c = connect(s, NbdClientOptions.DEFAULTS.withExtendedHeaders(false))) {
            assertFalse(c.info().extendedHeaders());
            List<Extent> map = c.blockStatus(0, 0xffff_ffffL, false);
            assertEquals(1, map.size());
            assertEquals(0xffff_ffffL, map.get(0).length(), "compact: at most 4 GiB at a time");
            assertThrows(IllegalArgumentException.class, () -> c.blockStatus(0, c.size(), false));
        }
    }

    @Test
    void longRunsComeAsLongExtentsAndWritesAreStillVerified() throws Exception {
        try (CaptiveServer s = serve(50, 64 * TERA);
                NbdClient c = connect(s, NbdClientOptions.DEFAULTS)) {
            List<Extent> map = c.blockStatus(0, 1024 * TERA, false);
            assertTrue(map.size() > 2 && map.size() < 200, map.size() + " extents");
            assertTrue(
                    map.stream().anyMatch(e -> e.length() > 0xffff_ffffL),
                    "extents past 32 bits: " + map);
            assertEquals(1024 * TERA, map.stream().mapToLong(Extent::length).sum());
            long holes = 0;
            for (Extent e : map) {
                if (!e.zero()) {
                    break;
                }
                holes += e.length();
            }
            long data = holes; // the first data byte
            ByteBuf b = c.pread(data, 65536);
            c.pwrite(data, b, false); // the disk's own bytes: verified and accepted
            ByteBuf wrong = io.netty.buffer.Unpooled.buffer(4096).writeZero(4096);
            NbdException e =
                    assertThrows(NbdException.class, () -> c.pwrite(data + 4096, wrong, false));
            assertEquals("EIO", e.errno().name());
        }
    }
}
