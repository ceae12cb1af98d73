package io.sparserandom.verifier;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.Errno;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VerifyingDeviceTest {
    private static final long SIZE = 64 * 4096;

    private static StripedDisk disk(boolean fastPath) {
        return fastPath ? new StripedDisk.WithExpected(SIZE) : new StripedDisk(SIZE);
    }

    private static ByteBuf content(BlockDevice d, long offset, int length) throws DeviceException {
        ByteBuf b = Unpooled.buffer(length);
        d.read(offset, length, b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void writingBackTheDiskPassesAndIsComplete(boolean fastPath) throws Exception {
        StripedDisk d = disk(fastPath);
        Verifier v = new Verifier(d);
        BlockDevice c = v.forConnection(1);
        // Odd-sized unaligned writes across block and run boundaries.
        long pos = 0;
        int step = 5000;
        while (pos < SIZE) {
            int n = (int) Math.min(step, SIZE - pos);
            ByteBuf b = content(d, pos, n);
            c.write(pos, b, 0);
            assertEquals(0, b.readerIndex(), "write must not consume the buffer");
            b.release();
            pos += n;
        }
        Verdict verdict = Verdict.compute(d, v.ledger(), 0, true, Duration.ZERO);
        assertEquals(SIZE / 2, verdict.dataBytes());
        assertEquals(SIZE / 2, verdict.dataVerified());
        assertTrue(verdict.complete());
        assertEquals(0, verdict.exitStatus());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aFlippedByteIsRejectedAtItsOffset(boolean fastPath) throws Exception {
        StripedDisk d = disk(fastPath);
        Verifier v = new Verifier(d);
        BlockDevice c = v.forConnection(7);
        long offset = 4 * 4096; // first data run
        ByteBuf b = content(d, offset, 4 * 4096);
        b.setByte(4096 + 123, 0x77);
        DeviceException e = assertThrows(DeviceException.class, () -> c.write(offset, b, 0));
        assertEquals(Errno.EIO, e.errno());
        assertEquals(offset + 4096 + 123, e.offset());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "data mismatch at offset 0x"
                                        + Long.toHexString(offset + 4096 + 123)),
                e.getMessage());
        assertTrue(e.getMessage().contains("expected 0x06"), e.getMessage());
        assertEquals(1, v.ledger().rejectedCount());
        assertEquals(7, v.ledger().mismatches().get(0).connection());
        // The connection stays usable: a correct write after the bad one is accepted.
        ByteBuf good = content(d, offset, 4096);
        assertDoesNotThrow(() -> c.write(offset, good, 0));
        Verdict verdict = Verdict.compute(d, v.ledger(), 0, false, Duration.ZERO);
        assertEquals(Verdict.EXIT_REJECTED, verdict.exitStatus());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void zeroAndTrimOnlyOverHoles(boolean fastPath) throws Exception {
        StripedDisk d = disk(fastPath);
        Verifier v = new Verifier(d);
        BlockDevice c = v.forConnection(1);
        assertDoesNotThrow(() -> c.zero(0, 4 * 4096, 0));
        assertDoesNotThrow(() -> c.trim(8 * 4096 + 100, 4096, 0));
        DeviceException e =
                assertThrows(DeviceException.class, () -> c.zero(2 * 4096, 4 * 4096, 0));
        assertEquals(Errno.EIO, e.errno());
        assertEquals(4 * 4096, e.offset());
        assertThrows(DeviceException.class, () -> c.trim(5 * 4096, 10, 0));
        assertEquals(2, v.ledger().rejectedCount());
        assertEquals("WRITE_ZEROES", v.ledger().mismatches().get(0).command());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void zeroesWrittenOverAHoleAreAccepted(boolean fastPath) throws Exception {
        Verifier v = new Verifier(disk(fastPath));
        ByteBuf zeros = Unpooled.buffer(4096).writeZero(4096);
        assertDoesNotThrow(() -> v.forConnection(1).write(0, zeros, 0));
        ByteBuf junk = Unpooled.buffer(4096).writeZero(4096).setByte(4095, 1);
        assertThrows(DeviceException.class, () -> v.forConnection(1).write(0, junk, 0));
    }

    @org.junit.jupiter.api.Test
    void missingDataIsNamedInTheVerdict() throws Exception {
        StripedDisk d = disk(true);
        Verifier v = new Verifier(d);
        BlockDevice c = v.forConnection(1);
        // Write back every data run but the last one (a copier that skips the last run).
        for (long block = 0; block < 64; block++) {
            if (StripedDisk.isData(block) && block < 60) {
                c.write(block * 4096, content(d, block * 4096, 4096), 0);
            }
        }
        Verdict verdict = Verdict.compute(d, v.ledger(), 0, true, Duration.ZERO);
        assertFalse(verdict.complete());
        assertEquals(Verdict.EXIT_INCOMPLETE, verdict.exitStatus());
        assertEquals(4 * 4096, verdict.missingBytes());
        assertEquals(1, verdict.missingRuns());
        assertEquals(60 * 4096, verdict.missing().get(0)[0]);
        assertTrue(VerdictWriter.json(verdict).contains("\"data_bytes_missing\": 16384"));
        assertTrue(VerdictWriter.junit(verdict, "t").contains("<failure"));
        // Without --check-complete the same run passes; the tool's own failure wins over
        // everything.
        assertEquals(0, Verdict.compute(d, v.ledger(), 0, false, Duration.ZERO).exitStatus());
        assertEquals(9, Verdict.compute(d, v.ledger(), 9, true, Duration.ZERO).exitStatus());
    }

    @org.junit.jupiter.api.Test
    void rejectionWinsOverIncompleteness() throws Exception {
        StripedDisk d = disk(true);
        Verifier v = new Verifier(d);
        assertThrows(DeviceException.class, () -> v.forConnection(1).zero(4 * 4096, 4096, 0));
        Verdict verdict = Verdict.compute(d, v.ledger(), 0, true, Duration.ZERO);
        assertEquals(Verdict.EXIT_REJECTED, verdict.exitStatus());
    }
}
