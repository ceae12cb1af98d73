package io.sparserandom.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.sparserandom.device.DeviceException;
import io.sparserandom.generator.DiskParams;
import io.sparserandom.generator.SparseRandomDisk;
import io.sparserandom.verifier.Verdict;
import io.sparserandom.verifier.VerdictWriter;
import io.sparserandom.verifier.Verifier;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The gate reads what the real VerdictWriter writes (not a hand-made copy of its format). */
class VerdictFactsTest {
    @Test
    void readsMissingAndRejectedFromTheRealWriter() throws Exception {
        SparseRandomDisk disk =
                SparseRandomDisk.create(
                        DiskParams.defaults(64L << 20, 5, DiskParams.Model.DEFAULT));
        Verifier verifier = new Verifier(disk);
        long data = firstDataOffset(disk);
        // A block of 0xff where the disk has data: rejected by the verifier.
        assertThrows(
                DeviceException.class,
                () ->
                        verifier.forConnection(1)
                                .write(data, Unpooled.wrappedBuffer(fill(4096, (byte) 0xff)), 0));
        Verdict v = Verdict.compute(disk, verifier.ledger(), 0, true, Duration.ofSeconds(1));
        VerdictFacts f = VerdictFacts.parse(VerdictWriter.json(v));
        assertEquals(0, f.toolStatus());
        assertFalse(f.complete());
        assertEquals(v.missingBytes(), f.missingBytes());
        assertTrue(f.missingBytes() > 0);
        assertEquals(v.missingRuns(), f.missingRanges());
        assertEquals(v.missing().get(0)[0], f.firstMissing());
        assertEquals(1, f.rejected());
        assertEquals(data, f.firstRejected());
        assertEquals("WRITE", f.firstRejectedCommand());
        assertEquals(Outcome.SILENT_LOSS, Judgement.of(Scenario.Kind.HOSTILE, f, false).outcome());
    }

    @Test
    void laterFieldsAreOptional() throws IOException {
        VerdictFacts f =
                VerdictFacts.parse(
                        "{\"tool_exit_status\": 1, \"complete\": true, \"injected_errors\":"
                                + " {\"read\": 3, \"write\": 2}, \"durable\": false,"
                                + " \"undurable_bytes\": 4096}");
        assertEquals(1, f.toolStatus());
        assertEquals(5L, f.injectedErrors());
        assertFalse(f.durable());
        assertEquals(4096L, f.undurableBytes());
        VerdictFacts old = VerdictFacts.parse("{\"tool_exit_status\": 0, \"complete\": true}");
        assertNull(old.durable());
        assertNull(old.injectedErrors());
        assertEquals(-1, old.firstRejected());
    }

    @Test
    void serveModeVerdictIsNotARun() {
        assertThrows(
                IOException.class,
                () -> VerdictFacts.parse("{\"tool_exit_status\": null, \"complete\": true}"));
        assertThrows(IOException.class, () -> VerdictFacts.parse("[]"));
    }

    private static long firstDataOffset(SparseRandomDisk disk) throws DeviceException {
        long[] found = {-1};
        long[] pos = {0};
        while (found[0] < 0) {
            disk.extents(
                    pos[0],
                    disk.size() - pos[0],
                    (len, type) -> {
                        if ((type & io.sparserandom.device.IoFlags.EXTENT_ZERO) == 0) {
                            found[0] = pos[0];
                            return false;
                        }
                        pos[0] += len;
                        return true;
                    });
        }
        return found[0];
    }

    private static byte[] fill(int n, byte b) {
        byte[] a = new byte[n];
        java.util.Arrays.fill(a, b);
        return a;
    }
}
