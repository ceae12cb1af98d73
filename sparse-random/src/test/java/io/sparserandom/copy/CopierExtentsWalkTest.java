package io.sparserandom.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.cli.DiskArguments;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.ForwardingDevice;
import io.sparserandom.generator.SparseRandomDisk;
import io.sparserandom.server.NbdServer;
import io.sparserandom.verifier.CoverageLedger;
import io.sparserandom.verifier.Verdict;
import io.sparserandom.verifier.Verifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copier against our own server in this JVM, counting the block status requests the server
 * answers: with extended headers a 4E disk of a few data runs is mapped in a few requests, where
 * one request per 128 MiB work range would be 2^35 of them.
 */
class CopierExtentsWalkTest {
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES) // one request per work range would take days
    void aFourExabyteDiskOfFewRunsIsMappedInAFewRequests(@TempDir Path dir) throws Exception {
        long calls = copyAndVerify(dir, "4E", "seed=5", "percent=5e-10", "runlength=1M");
        // Each of the 4 workers maps its first range, and each data run costs a few more.
        assertTrue(calls < 100, "block status requests: " + calls);
    }

    /**
     * Data runs crossing work-range ends, holes behind them, holes claimed while other workers hold
     * ranges inside them: every byte still arrives and no zero request lands on data.
     */
    @Test
    void aDenseDiskCopiesCompletely(@TempDir Path dir) throws Exception {
        copyAndVerify(dir, "3G", "seed=2", "percent=40", "runlength=48M");
    }

    /** Self-copies the disk through our server in this JVM; returns the block status requests. */
    private static long copyAndVerify(Path dir, String... disk) throws Exception {
        SparseRandomDisk d = SparseRandomDisk.create(DiskArguments.parse(List.of(disk)).params());
        CoverageLedger ledger = new CoverageLedger();
        Verifier verifier = new Verifier(d, ledger);
        AtomicLong extentsCalls = new AtomicLong();
        Path socket = dir.resolve("nbd.sock");
        CopyResult result;
        try (NbdServer server =
                NbdServer.builder()
                        .device(
                                "",
                                "counted",
                                c ->
                                        new CountingExtents(
                                                verifier.forConnection(c.id()), extentsCalls))
                        .unixSocket(socket)
                        .build()
                        .start()) {
            String uri = "nbd+unix:///?socket=" + socket;
            result = new Copier(CopyOptions.defaults(uri, uri)).run(plan -> {});
        }
        Verdict v = Verdict.compute(d, ledger, 0, true, false, Duration.ZERO);
        assertTrue(v.dataBytes() > 0, "the disk has data");
        assertTrue(v.complete(), v.incompleteReason());
        assertTrue(v.noRejects(), v.toString());
        assertEquals(d.size(), result.size());
        return extentsCalls.get();
    }

    /** Counts the block status requests that reach the device. */
    private static final class CountingExtents extends ForwardingDevice {
        private final AtomicLong calls;

        CountingExtents(BlockDevice next, AtomicLong calls) {
            super(next);
            this.calls = calls;
        }

        @Override
        public void extents(long offset, long length, ExtentSink sink) throws DeviceException {
            calls.incrementAndGet();
            super.extents(offset, length, sink);
        }
    }
}
