package io.sparserandom.server;

import io.netty.buffer.ByteBuf;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.Capabilities;
import io.sparserandom.device.IoFlags;

/**
 * A device of petabytes for 64-bit requests: holes everywhere but one data run of {@link #DATA}
 * bytes at {@link #DATA_AT}, which reads as 0x5a. It remembers the last zero, trim and cache range
 * it was given, so a test sees whether a 64-bit effect length reached it whole.
 */
final class HugeSparseDevice implements BlockDevice {
    static final long SIZE = 1L << 52; // 4 PiB
    static final long DATA_AT = 1L << 42; // 4 TiB
    static final long DATA = 1 << 20;

    volatile long lastOffset = -1;
    volatile long lastLength = -1;

    @Override
    public long size() {
        return SIZE;
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.all();
    }

    @Override
    public void read(long offset, int length, ByteBuf dst) {
        for (long p = offset; p < offset + length; p++) {
            dst.writeByte(p >= DATA_AT && p < DATA_AT + DATA ? 0x5a : 0);
        }
    }

    @Override
    public void write(long offset, ByteBuf data, int flags) {}

    @Override
    public void zero(long offset, long length, int flags) {
        remember(offset, length);
    }

    @Override
    public void trim(long offset, long length, int flags) {
        remember(offset, length);
    }

    @Override
    public void cache(long offset, long length, int flags) {
        remember(offset, length);
    }

    private void remember(long offset, long length) {
        lastOffset = offset;
        lastLength = length;
    }

    @Override
    public void flush(int flags) {}

    @Override
    public void extents(long offset, long length, ExtentSink sink) {
        int hole = IoFlags.EXTENT_HOLE | IoFlags.EXTENT_ZERO;
        long p = offset;
        if (p < DATA_AT && !sink.extent(DATA_AT - p, hole)) {
            return;
        }
        p = Math.max(p, DATA_AT);
        if (p < DATA_AT + DATA && !sink.extent(DATA_AT + DATA - p, IoFlags.EXTENT_DATA)) {
            return;
        }
        p = Math.max(p, DATA_AT + DATA);
        sink.extent(SIZE - p, hole);
    }
}
