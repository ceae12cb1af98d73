package io.sparserandom.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.IoFlags;
import io.sparserandom.verifier.DurabilityLedger.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The durability rules of the spec's "Ordering of messages and writes", driven the way the server
 * drives them: the verifier accepts a request, then the server reports its reply sent, a flush's
 * arrival and its reply.
 */
class DurabilityLedgerTest {
    /** Holes and data alternate every 16 KiB (see {@link StripedDisk}); data runs start at 16K. */
    private static final int RUN = 4 * StripedDisk.BLOCK;

    private static final long SIZE = 16 * RUN;

    private final StripedDisk disk = new StripedDisk.WithExpected(SIZE);
    private final Verifier verifier = new Verifier(disk);
    private final DurabilityLedger ledger = verifier.ledger().durability();

    /** One client connection: its device, and what the server tells the ledger about it. */
    private final class Client {
        final BlockDevice device;
        final DurabilityLedger.Connection conn;

        Client(long id, boolean flush, boolean multiConn) {
            conn = ledger.open(id, flush, multiConn);
            device = verifier.forConnection(id);
        }

        /** Accepted by the verifier; the reply not sent yet. */
        void writeUnsent(long offset, int length, int flags) throws DeviceException {
            ByteBuf b = Unpooled.buffer(length);
            disk.read(offset, length, b);
            try {
                device.write(offset, b, flags);
            } finally {
                b.release();
            }
        }

        void write(long offset, int length, int flags) throws DeviceException {
            writeUnsent(offset, length, flags);
            conn.replySent(Kind.WRITE, offset, length, true);
        }

        void zero(long offset, int length) throws DeviceException {
            device.zero(offset, length, 0);
            conn.replySent(Kind.ZERO, offset, length, true);
        }

        void trim(long offset, int length) throws DeviceException {
            device.trim(offset, length, 0);
            conn.replySent(Kind.TRIM, offset, length, true);
        }

        void flush() {
            conn.flushArrived();
            conn.flushReplied(true);
        }
    }

    private Verdict verdict() throws DeviceException {
        return Verdict.compute(disk, verifier.ledger(), 0, false, true, Duration.ZERO);
    }

    private void assertDurable() throws DeviceException {
        Verdict v = verdict();
        assertTrue(v.durable(), v.undurableReason());
        assertEquals(0, v.durability().undurableBytes());
        assertNull(v.undurableReason());
        assertEquals(Verdict.EXIT_OK, v.exitStatus());
    }

    /** Not durable, with this many data or hole bytes left. */
    private void assertNotDurable(long undurableBytes) throws DeviceException {
        Verdict v = verdict();
        assertFalse(v.durable());
        assertEquals(undurableBytes, v.durability().undurableBytes(), v.undurableReason());
        assertEquals(Verdict.EXIT_NOT_DURABLE, v.exitStatus());
    }

    @Test
    void nothingWrittenIsDurable() throws Exception {
        new Client(1, true, false);
        assertDurable();
    }

    @Test
    void aWriteWithoutFlushIsNotDurable() throws Exception {
        Client c = new Client(1, true, true);
        c.write(RUN, RUN, 0);
        assertNotDurable(RUN);
        Verdict v = verdict();
        assertEquals(RUN, v.durability().firstOffset());
        assertTrue(v.undurableReason().contains("first at offset 0x4000"), v.undurableReason());
    }

    @Test
    void fuaIsDurableAtOnce() throws Exception {
        Client c = new Client(1, true, false);
        c.writeUnsent(RUN, RUN, IoFlags.FUA);
        assertDurable(); // even before its reply left
        c.conn.replySent(Kind.WRITE, RUN, RUN, true);
        assertDurable();
    }

    @Test
    void aFlushAfterTheReplyCoversTheWrite() throws Exception {
        Client c = new Client(1, true, false);
        c.write(RUN, RUN, 0);
        c.write(3 * RUN, 2 * RUN, 0); // data, then a hole written with zeroes
        c.flush();
        assertDurable();
    }

    @Test
    void aFlushRacingAnInFlightWriteDoesNotCoverIt() throws Exception {
        Client c = new Client(1, true, false);
        c.write(RUN, RUN, 0);
        c.writeUnsent(3 * RUN, RUN, 0);
        c.conn.flushArrived(); // the second write's reply has not left yet
        c.conn.replySent(Kind.WRITE, 3 * RUN, RUN, true);
        c.conn.flushReplied(true);
        assertNotDurable(RUN);
        assertEquals(3 * RUN, verdict().durability().firstOffset());
        c.flush(); // a flush after its reply covers it
        assertDurable();
    }

    @Test
    void aFlushCoversOtherConnectionsOnlyUnderMultiConn() throws Exception {
        for (boolean multiConn : new boolean[] {true, false}) {
            Verifier v = new Verifier(disk);
            DurabilityLedger l = v.ledger().durability();
            DurabilityLedger.Connection[] conns = new DurabilityLedger.Connection[4];
            for (int i = 0; i < 4; i++) {
                conns[i] = l.open(i + 1, true, multiConn);
                long offset = (2L * i + 1) * RUN;
                ByteBuf b = Unpooled.buffer(RUN);
                disk.read(offset, RUN, b);
                v.forConnection(i + 1).write(offset, b, 0);
                b.release();
                conns[i].replySent(Kind.WRITE, offset, RUN, true);
            }
            conns[0].flushArrived();
            conns[0].flushReplied(true);
            Verdict verdict = Verdict.compute(disk, v.ledger(), 0, false, true, Duration.ZERO);
            assertEquals(multiConn, verdict.durable(), "multi-conn " + multiConn);
            assertEquals(multiConn ? 0 : 3 * RUN, verdict.durability().undurableBytes());
            // Runs written whole reach over the holes between them: one range in data coordinates.
            assertEquals(multiConn ? 0 : 1, verdict.durability().undurableRanges());
        }
    }

    @Test
    void withoutFlushOfferedAWriteIsDurableOnceReplied() throws Exception {
        Client c = new Client(1, false, false);
        c.writeUnsent(RUN, RUN, 0);
        assertNotDurable(RUN); // accepted, but the client has not been told yet
        c.conn.replySent(Kind.WRITE, RUN, RUN, true);
        assertDurable();
    }

    @Test
    void zeroesAndTrimsNeedAFlushToo() throws Exception {
        Client c = new Client(1, true, false);
        c.zero(0, RUN);
        c.trim(2 * RUN, RUN);
        assertNotDurable(2 * RUN); // hole bytes
        c.flush();
        assertDurable();
        c.zero(4 * RUN, RUN);
        assertNotDurable(RUN);
    }

    @Test
    void aWriteOverAHoleReachesOverItButCountsOnlyItsData() throws Exception {
        Client c = new Client(1, true, false);
        // Data run [16K, 32K) then the hole [32K, 48K), written in one request.
        c.write(RUN, 2 * RUN, 0);
        Verdict v = verdict();
        assertEquals(RUN, v.durability().undurableBytes());
        assertEquals(1, v.durability().undurableRanges());
    }

    @Test
    void aFailedFlushLeavesTheWritesPending() throws Exception {
        Client c = new Client(1, true, false);
        c.write(RUN, RUN, 0);
        c.conn.flushArrived();
        c.conn.flushReplied(false);
        assertNotDurable(RUN);
        c.flush();
        assertDurable();
    }

    @Test
    void aFailedFlushUnderMultiConnGivesBackToEachConnection() throws Exception {
        Client a = new Client(1, true, true);
        Client b = new Client(2, true, true);
        a.write(RUN, RUN, 0);
        b.write(3 * RUN, RUN, 0);
        a.conn.flushArrived();
        a.conn.flushReplied(false);
        assertNotDurable(2 * RUN);
        b.flush();
        assertDurable();
    }

    @Test
    void anErrorReplyIsNotPending() throws Exception {
        Client c = new Client(1, true, false);
        c.writeUnsent(RUN, RUN, 0);
        // Failed by a layer outside the verifier: the client was told it failed.
        c.conn.replySent(Kind.WRITE, RUN, RUN, false);
        assertDurable();
    }

    @Test
    void aClosedConnectionsWritesAreCoveredOnlyByAMultiConnFlush() throws Exception {
        for (boolean multiConn : new boolean[] {true, false}) {
            Verifier v = new Verifier(disk);
            DurabilityLedger l = v.ledger().durability();
            DurabilityLedger.Connection gone = l.open(1, true, multiConn);
            ByteBuf buf = Unpooled.buffer(RUN);
            disk.read(RUN, RUN, buf);
            v.forConnection(1).write(RUN, buf, 0);
            buf.release();
            gone.replySent(Kind.WRITE, RUN, RUN, true);
            gone.closed();
            DurabilityLedger.Connection later = l.open(2, true, multiConn);
            later.flushArrived();
            later.flushReplied(true);
            Verdict verdict = Verdict.compute(disk, v.ledger(), 0, false, true, Duration.ZERO);
            assertEquals(multiConn, verdict.durable(), "multi-conn " + multiConn);
        }
    }

    @Test
    void aWriteWhoseReplyNeverLeftIsNotDurableAfterClose() throws Exception {
        Client c = new Client(1, true, true);
        c.writeUnsent(RUN, RUN, 0);
        c.conn.closed();
        assertNotDurable(RUN);
    }

    @Test
    void aRangeWrittenAgainDurablyCountsAsDurable() throws Exception {
        Client a = new Client(1, true, false);
        Client b = new Client(2, true, false);
        a.write(RUN, RUN, 0); // never flushed on a
        b.write(RUN, RUN, IoFlags.FUA);
        assertDurable();
    }

    @Test
    void aConnectionNobodyObservesCannotBeProvenDurable() throws Exception {
        ByteBuf b = Unpooled.buffer(RUN);
        disk.read(RUN, RUN, b);
        verifier.forConnection(9).write(RUN, b, IoFlags.FUA);
        b.release();
        Verdict v = verdict();
        assertFalse(v.durable());
        assertFalse(v.durability().provable());
        assertTrue(v.undurableReason().contains("cannot be proven"), v.undurableReason());
    }

    @Test
    void pendingPiecesBeyondTheCapMakeItUnprovable() throws Exception {
        Verifier v = new Verifier(disk, new CoverageLedger(2));
        DurabilityLedger l = v.ledger().durability();
        DurabilityLedger.Connection c = l.open(1, true, false);
        BlockDevice d = v.forConnection(1);
        // Three separate data pieces (not reaching each other): one more than the cap.
        for (int i = 0; i < 3; i++) {
            long offset = (4L * i + 1) * RUN;
            ByteBuf b = Unpooled.buffer(StripedDisk.BLOCK);
            disk.read(offset, StripedDisk.BLOCK, b);
            d.write(offset, b, 0);
            b.release();
            c.replySent(Kind.WRITE, offset, StripedDisk.BLOCK, true);
        }
        assertTrue(l.overflowed());
        c.flushArrived();
        c.flushReplied(true);
        Verdict verdict = Verdict.compute(disk, v.ledger(), 0, false, true, Duration.ZERO);
        assertFalse(verdict.durable(), "a dropped piece must not pass as durable");
        assertTrue(
                verdict.undurableReason().contains("cannot be proven"), verdict.undurableReason());
    }

    @Test
    void statusPrecedenceToolThenRejectedThenIncompleteThenDurable() throws Exception {
        Client c = new Client(1, true, false);
        c.write(RUN, RUN, 0); // not durable, and the rest of the data is missing
        CoverageLedger l = verifier.ledger();
        assertEquals(
                Verdict.EXIT_NOT_DURABLE,
                Verdict.compute(disk, l, 0, false, true, Duration.ZERO).exitStatus());
        assertEquals(
                Verdict.EXIT_INCOMPLETE,
                Verdict.compute(disk, l, 0, true, true, Duration.ZERO).exitStatus());
        assertEquals(0, Verdict.compute(disk, l, 0, false, false, Duration.ZERO).exitStatus());
        assertEquals(7, Verdict.compute(disk, l, 7, true, true, Duration.ZERO).exitStatus());
        ByteBuf junk = Unpooled.buffer(RUN).writeZero(RUN);
        assertThrows(DeviceException.class, () -> c.device.write(RUN, junk, 0));
        junk.release();
        assertEquals(
                Verdict.EXIT_REJECTED,
                Verdict.compute(disk, l, 0, true, true, Duration.ZERO).exitStatus());
    }

    @Test
    void theOutputsShowIt() throws Exception {
        Client c = new Client(1, true, false);
        c.write(RUN, RUN, 0);
        Verdict v = verdict();
        String json = VerdictWriter.json(v);
        assertTrue(json.contains("\"check_durable\": true"), json);
        assertTrue(json.contains("\"durable\": false"), json);
        assertTrue(json.contains("\"undurable_bytes\": " + RUN), json);
        assertTrue(json.contains("\"undurable_first_offset\": " + RUN), json);
        String summary = VerdictWriter.summary(v);
        assertTrue(summary.contains("durable:              no, 16384 bytes in 1 range"), summary);
        String xml = VerdictWriter.junit(v, "s");
        assertTrue(xml.contains("name=\"durable\">\n    <failure"), xml);
        c.flush();
        Verdict ok = verdict();
        assertTrue(VerdictWriter.summary(ok).contains("durable:              yes"));
        assertTrue(VerdictWriter.json(ok).contains("\"undurable_first_offset\": null"));
        String unchecked =
                VerdictWriter.junit(
                        Verdict.compute(disk, verifier.ledger(), 0, false, false, Duration.ZERO),
                        "s");
        assertTrue(unchecked.contains("--check-durable not given (durable: yes)"), unchecked);
        assertTrue(unchecked.contains("skipped=\"2\""), unchecked);
    }
}
