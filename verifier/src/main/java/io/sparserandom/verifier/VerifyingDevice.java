package io.sparserandom.verifier;

import io.sparserandom.device.ExpectedContent;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.sparserandom.device.Errno;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.Capabilities;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.IoFlags;
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
final class VerifyingDevice implements BlockDevice {
    private static final Logger LOG = LoggerFactory.getLogger(VerifyingDevice.class);
    /** Scratch reads for devices without a fast path, and for zero checks over data extents. */
    private static final int SCRATCH = 1 << 20;

    private final BlockDevice disk;
    private final ExpectedContent expected;
    private final CoverageLedger ledger;
    private final long connection;

    VerifyingDevice(BlockDevice disk, CoverageLedger ledger, long connection) {
        this.disk = disk;
        this.expected = disk instanceof ExpectedContent e ? e : null;
        this.ledger = ledger;
        this.connection = connection;
    }

    @Override
    public long size() { return disk.size(); }

    @Override
    public Capabilities capabilities() {
        Capabilities c = disk.capabilities();
        // We answer every write-like command ourselves, so all of them are available.
        return c.toBuilder().flush(true).fua(true).trim(true).zero(true).fastZero(true).build();
    }

    @Override
    public void read(long offset, int length, ByteBuf dst) throws DeviceException {
        disk.read(offset, length, dst);
    }

    @Override
    public ByteBuf readBuffer(long offset, int length, ByteBufAllocator alloc) throws DeviceException {
        return disk.readBuffer(offset, length, alloc);
    }

    @Override
    public void extents(long offset, long length, ExtentSink sink) throws DeviceException {
        disk.extents(offset, length, sink);
    }

    @Override
    public void cache(long offset, long length, int flags) throws DeviceException {
        disk.cache(offset, length, flags);
    }

    @Override
    public void flush(int flags) {}

    @Override
    public void write(long offset, ByteBuf data, int flags) throws DeviceException {
        int length = data.readableBytes();
        long bad = expected != null ? expected.mismatch(offset, data) : compareByReading(offset, data);
        if (bad != ExpectedContent.MATCH) {
            int at = (int) (bad - offset);
            int n = ByteSummary.toBlockEnd(bad, length - at);
            String want = expected != null ? expected.describeExpected(bad, n) : describeByReading(bad, n);
            String got = ByteSummary.describe(data, data.readerIndex() + at, n);
            reject(new Mismatch("WRITE", connection, offset, length, bad, want, got));
        }
        ledger.recordWrite(offset, length);
    }

    @Override
    public void zero(long offset, long length, int flags) throws DeviceException {
        checkReadsAsZero("WRITE_ZEROES", offset, length);
        ledger.recordZero(offset, length, false);
    }

    @Override
    public void trim(long offset, long length, int flags) throws DeviceException {
        checkReadsAsZero("TRIM", offset, length);
        ledger.recordZero(offset, length, true);
    }

    private void reject(Mismatch m) throws DeviceException {
        ledger.recordRejected(m);
        String message = m.message();
        LOG.warn("connection {}: rejected {} offset={} length={}: {}", connection, m.command(),
                m.requestOffset(), m.length(), message);
        throw new DeviceException(Errno.EIO, message, m.offset());
    }

    /** Zero and trim are fine only where the disk already reads as zeroes. */
    private void checkReadsAsZero(String command, long offset, long length) throws DeviceException {
        long end = offset + length;
        long pos = offset;
        while (pos < end) {
            long[] ext = new long[2];
            final long at = pos;
            disk.extents(pos, end - pos, (len, type) -> {
                ext[0] = len;
                ext[1] = type;
                return false;
            });
            long len = Math.min(Math.max(ext[0], 1), end - pos);
            if ((ext[1] & IoFlags.EXTENT_ZERO) == 0) {
                long bad = firstNonZero(at, len);
                if (bad >= 0) {
                    int n = ByteSummary.toBlockEnd(bad, end - bad);
                    String want = expected != null ? expected.describeExpected(bad, n) : describeByReading(bad, n);
                    reject(new Mismatch(command, connection, offset, length, bad, want,
                            String.format("0x00 x%d", n)));
                }
            }
            pos += len;
        }
    }

    private long firstNonZero(long offset, long length) throws DeviceException {
        ByteBuf scratch = PooledByteBufAllocator.DEFAULT.directBuffer((int) Math.min(SCRATCH, length));
        try {
            long pos = offset;
            long end = offset + length;
            while (pos < end) {
                int n = (int) Math.min(SCRATCH, end - pos);
                scratch.clear();
                disk.read(pos, n, scratch);
                for (int i = 0; i < n; i++) {
                    if (scratch.getByte(i) != 0) {
                        return pos + i;
                    }
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
                disk.read(offset + done, n, scratch);
                int base = data.readerIndex() + done;
                for (int i = 0; i < n; i++) {
                    if (scratch.getByte(i) != data.getByte(base + i)) {
                        return offset + done + i;
                    }
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
            disk.read(offset, length, scratch);
            return ByteSummary.describe(scratch, 0, length);
        } finally {
            scratch.release();
        }
    }
}
