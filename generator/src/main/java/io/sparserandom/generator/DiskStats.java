package io.sparserandom.generator;

import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.Errno;
import io.sparserandom.device.IoFlags;

/**
 * Allocation statistics of a range of a device, from its extents: how much is data and in how many
 * runs. A data run that crosses the start or end of the range counts once, clipped.
 *
 * @param offset start of the range walked
 * @param length bytes walked
 * @param dataBytes bytes reported as data (type without the ZERO bit; allocated zero is not data)
 * @param dataRuns maximal runs of data within the range
 */
public record DiskStats(long offset, long length, long dataBytes, long dataRuns) {

    /** Mean data run in bytes, 0 when there is no data. */
    public double meanDataRun() {
        return dataRuns == 0 ? 0 : (double) dataBytes / dataRuns;
    }

    /** Data share of the range in percent. */
    public double dataPercent() {
        return length == 0 ? 0 : 100.0 * dataBytes / length;
    }

    /** Walks the whole device. */
    public static DiskStats of(BlockDevice device) throws DeviceException {
        return of(device, 0, device.size());
    }

    /**
     * Walks {@code [offset, offset + length)} with repeated {@link BlockDevice#extents} calls (each
     * asks for at most 1 GiB, like a client would; the device may answer with less).
     */
    public static DiskStats of(BlockDevice device, long offset, long length)
            throws DeviceException {
        if (offset < 0 || length < 0 || length > device.size() - offset) {
            throw new IllegalArgumentException(
                    "range "
                            + offset
                            + "+"
                            + length
                            + " outside the device (size "
                            + device.size()
                            + ")");
        }
        Walk w = new Walk(offset + length);
        w.pos = offset;
        while (w.pos < w.end) {
            long before = w.pos;
            device.extents(w.pos, Math.min(w.end - w.pos, 1L << 30), w);
            if (w.pos == before) {
                throw new DeviceException(
                        Errno.EIO, "extents made no progress at offset " + before, before);
            }
        }
        return new DiskStats(offset, length, w.dataBytes, w.dataRuns);
    }

    private static final class Walk implements BlockDevice.ExtentSink {
        final long end;
        long pos;
        long dataBytes;
        long dataRuns;
        boolean lastWasData;

        Walk(long end) {
            this.end = end;
        }

        @Override
        public boolean extent(long length, int type) {
            if (length <= 0) {
                return false;
            }
            long n = Math.min(length, end - pos);
            boolean data = (type & IoFlags.EXTENT_ZERO) == 0;
            if (data) {
                dataBytes += n;
                if (!lastWasData) {
                    dataRuns++;
                }
            }
            lastWasData = data;
            pos += n;
            return pos < end;
        }
    }
}
