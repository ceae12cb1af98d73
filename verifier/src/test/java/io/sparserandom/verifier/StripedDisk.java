package io.sparserandom.verifier;

import io.netty.buffer.ByteBuf;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.Capabilities;
import io.sparserandom.device.ExpectedContent;
import io.sparserandom.device.IoFlags;

/**
 * A test disk: 4 KiB blocks, groups of four holes then four data blocks; data block i holds the
 * byte (i % 250) + 1 repeated.
 */
class StripedDisk implements BlockDevice {
    static final int BLOCK = 4096;
    private final long size;

    StripedDisk(long size) {
        this.size = size;
    }

    static boolean isData(long block) {
        return (block / 4) % 2 == 1;
    }

    static byte byteAt(long offset) {
        long block = offset / BLOCK;
        return isData(block) ? (byte) (block % 250 + 1) : 0;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.all();
    }

    @Override
    public void read(long offset, int length, ByteBuf dst) {
        // One bulk write: the tests run with paranoid leak detection, which records every access.
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = byteAt(offset + i);
        }
        dst.writeBytes(b);
    }

    @Override
    public void write(long offset, ByteBuf data, int flags) {}

    @Override
    public void zero(long offset, long length, int flags) {}

    @Override
    public void trim(long offset, long length, int flags) {}

    @Override
    public void flush(int flags) {}

    @Override
    public void extents(long offset, long length, ExtentSink sink) {
        long pos = offset;
        long end = Math.min(size, offset + length);
        while (pos < end) {
            long block = pos / BLOCK;
            long runEnd = Math.min(size, (block / 4 + 1) * 4 * BLOCK);
            int type =
                    isData(block) ? IoFlags.EXTENT_DATA : IoFlags.EXTENT_HOLE | IoFlags.EXTENT_ZERO;
            if (!sink.extent(runEnd - pos, type)) {
                return;
            }
            pos = runEnd;
        }
    }

    /** The same disk with the verifier's fast path. */
    static final class WithExpected extends StripedDisk implements ExpectedContent {
        WithExpected(long size) {
            super(size);
        }

        @Override
        public long mismatch(long offset, ByteBuf data) {
            for (int i = 0; i < data.readableBytes(); i++) {
                if (data.getByte(data.readerIndex() + i) != byteAt(offset + i)) {
                    return offset + i;
                }
            }
            return MATCH;
        }

        @Override
        public String describeExpected(long offset, int length) {
            return String.format("0x%02x x%d", byteAt(offset) & 0xff, length);
        }
    }
}
