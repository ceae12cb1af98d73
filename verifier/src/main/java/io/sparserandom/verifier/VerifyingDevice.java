package io.sparserandom.verifier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ByteProcessor;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.Capabilities;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.Errno;
import io.sparserandom.device.ExpectedContent;
import io.sparserandom.device.ForwardingDevice;
import io.sparserandom.device.IoFlags;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A decorator that turns writes into checks, in the manner of nbdkit's checkwrite filter: a write
 * must equal what the wrapped device reads, zero and trim are accepted only where it reads zeroes,
 * flush succeeds. Nothing is ever written to the wrapped device. Accepted and rejected requests go
 * to the {@link CoverageLedger}. A rejection is an EIO carrying the first bad offset and a message;
 * the connection stays usable.
 *
 * <p>When the wrapped device implements {@link ExpectedContent} the comparison is done without
 * materialising the expected bytes; otherwise they are read into a scratch buffer.
 */
final class VerifyingDevice extends ForwardingDevice {
    private static final Logger LOG = LoggerFactory.getLogger(VerifyingDevice.class);

    /** Scratch reads for devices without a fast path, and for zero checks over data extents. */
    private static final int SCRATCH = 1 << 20;

    private final ExpectedContent expected;
    private final CoverageLedger ledger;
    private final long connection;

    VerifyingDevice(BlockDevice disk, CoverageLedger ledger, long connection) {
        super(disk);
        this.expected = disk instanceof ExpectedContent e ? e : null;
        this.ledger = ledger;
        this.connection = connection;
    }

    @Override
    public Capabilities capabilities() {
        Capabilities c = next.capabilities();
        // We answer every write-like command ourselves, so all of them are available.
        return c.toBuilder().flush(true).fua(true).trim(true).zero(true).fastZero(true).build();
    }

    @Override
    public void flush(int flags) {}

    @Override
    public void write(long offset, ByteBuf data, int flags) throws DeviceException {
        int length = data.readableBytes();
        long bad =
                expected != null ? expected.mismatch(offset, data) : compareByReading(offset, data);
        if (bad != ExpectedContent.MATCH) {
            int at = (int) (bad - offset);
            int n = ByteSummary.toBlockEnd(bad, length - at);
            String want =
                    expected != null
                            ? expected.describeExpected(bad, n)
                            : describeByReading(bad, n);
            String got = ByteSummary.describe(data, data.readerIndex() + at, n);
            reject(new Mismatch("WRITE", connection, offset, length, bad, want, got));
        }
        Runs runs = runs(offset, offset + length, false);
        ledger.recordWrite(offset, length, runs.dataReach, runs.holes);
        durable(DurabilityLedger.Kind.WRITE, offset, length, runs.dataReach, flags);
    }

    @Override
    public void zero(long offset, long length, int flags) throws DeviceException {
        Runs runs = checkReadsAsZero("WRITE_ZEROES", offset, length);
        ledger.recordZero(offset, length, runs.holeReach, false);
        durable(DurabilityLedger.Kind.ZERO, offset, length, runs.holeReach, flags);
    }

    @Override
    public void trim(long offset, long length, int flags) throws DeviceException {
        Runs runs = checkReadsAsZero("TRIM", offset, length);
        ledger.recordZero(offset, length, runs.holeReach, true);
        durable(DurabilityLedger.Kind.TRIM, offset, length, runs.holeReach, flags);
    }

    /** Hands an accepted request to the durability ledger, with the same reach as the ledger's. */
    private void durable(
            DurabilityLedger.Kind kind, long offset, long length, long reach, int flags) {
        DurabilityLedger d = ledger.durability();
        if (d != null) {
            d.accepted(
                    connection,
                    kind,
                    offset,
                    length,
                    Math.max(reach, offset + length),
                    (flags & IoFlags.FUA) != 0);
        }
    }

    private void reject(Mismatch m) throws DeviceException {
        ledger.recordRejected(m);
        String message = m.message();
        LOG.warn(
                "connection {}: rejected {} offset={} length={}: {}",
                connection,
                m.command(),
                m.requestOffset(),
                m.length(),
                message);
        throw new DeviceException(Errno.EIO, message, m.offset());
    }

    /** Zero and trim are fine only where the disk already reads as zeroes. */
    private Runs checkReadsAsZero(String command, long offset, long length) throws DeviceException {
        long end = offset + length;
        Runs runs = runs(offset, end, true);
        for (int i = 0; i < runs.dataCount; i++) {
            long at = runs.data[2 * i];
            long bad = firstNonZero(at, runs.data[2 * i + 1] - at);
            if (bad >= 0) {
                int n = ByteSummary.toBlockEnd(bad, end - bad);
                String want =
                        expected != null
                                ? expected.describeExpected(bad, n)
                                : describeByReading(bad, n);
                reject(
                        new Mismatch(
                                command,
                                connection,
                                offset,
                                length,
                                bad,
                                want,
                                String.format("0x00 x%d", n)));
            }
        }
        return runs;
    }

    /**
     * The disk's runs under [offset, end) and the run holding byte {@code end}, from one extents
     * walk: where data lies inside, whether there are holes, and how far the request reaches in
     * data coordinates (over a hole that holds its end) and in hole coordinates (over data that
     * holds its end). Data pieces are kept only when asked (zero checks). See {@link
     * CoverageLedger}.
     */
    private Runs runs(long offset, long end, boolean keepData) throws DeviceException {
        long size = next.size();
        Runs r = new Runs(end);
        long limit = Math.min(size, end);
        long pos = offset;
        while (pos < limit || (pos == end && end < size)) {
            long from = pos;
            long[] at = {pos};
            next.extents(
                    pos,
                    size - pos,
                    (len, type) -> {
                        long a = at[0];
                        long b = Math.min(size, a + Math.max(len, 0));
                        if (b <= a) {
                            return false;
                        }
                        boolean data = (type & IoFlags.EXTENT_ZERO) == 0;
                        if (a < end) {
                            if (data) {
                                if (keepData) {
                                    r.addData(a, Math.min(b, end));
                                }
                            } else {
                                r.holes = true;
                            }
                        }
                        if (b > end) {
                            // The run holding byte `end`: requests reach over it in the other
                            // coordinates.
                            if (data) {
                                r.holeReach = b;
                            } else {
                                r.dataReach = b;
                            }
                            at[0] = Long.MAX_VALUE;
                            return false;
                        }
                        at[0] = b;
                        return b < size;
                    });
            if (at[0] == Long.MAX_VALUE || at[0] >= size || at[0] <= from) {
                break; // done, or the device made no progress: do not spin
            }
            pos = at[0];
        }
        return r;
    }

    /** What {@link #runs} found. */
    private static final class Runs {
        long dataReach;
        long holeReach;
        boolean holes;

        /** Data pieces inside the request, as start/end pairs; allocated when there are some. */
        long[] data;

        int dataCount;

        Runs(long end) {
            dataReach = end;
            holeReach = end;
        }

        void addData(long a, long b) {
            if (dataCount > 0 && data[2 * dataCount - 1] == a) {
                data[2 * dataCount - 1] = b;
                return;
            }
            if (data == null) {
                data = new long[8];
            } else if (2 * dataCount == data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[2 * dataCount] = a;
            data[2 * dataCount + 1] = b;
            dataCount++;
        }
    }

    private long firstNonZero(long offset, long length) throws DeviceException {
        ByteBuf scratch =
                PooledByteBufAllocator.DEFAULT.directBuffer((int) Math.min(SCRATCH, length));
        try {
            long pos = offset;
            long end = offset + length;
            while (pos < end) {
                int n = (int) Math.min(SCRATCH, end - pos);
                scratch.clear();
                next.read(pos, n, scratch);
                int i = scratch.forEachByte(0, n, ByteProcessor.FIND_NON_NUL);
                if (i >= 0) {
                    return pos + i;
                }
                pos += n;
            }
            return -1;
        } finally {
            scratch.release();
        }
    }

    private long compareByReading(long offset, ByteBuf data) throws DeviceException {
        int length = data.readableBytes();
        ByteBuf scratch = PooledByteBufAllocator.DEFAULT.directBuffer(Math.min(SCRATCH, length));
        try {
            int done = 0;
            while (done < length) {
                int n = Math.min(SCRATCH, length - done);
                scratch.clear();
                next.read(offset + done, n, scratch);
                int i =
                        scratch.nioBuffer(0, n)
                                .mismatch(data.nioBuffer(data.readerIndex() + done, n));
                if (i >= 0) {
                    return offset + done + i;
                }
                done += n;
            }
            return ExpectedContent.MATCH;
        } finally {
            scratch.release();
        }
    }

    private String describeByReading(long offset, int length) throws DeviceException {
        ByteBuf scratch = PooledByteBufAllocator.DEFAULT.directBuffer(length);
        try {
            next.read(offset, length, scratch);
            return ByteSummary.describe(scratch, 0, length);
        } finally {
            scratch.release();
        }
    }
}
