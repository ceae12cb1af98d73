package io.sparserandom.verifier;

import io.netty.buffer.ByteBuf;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.Capabilities;
import io.sparserandom.device.ExpectedContent;
import io.sparserandom.device.IoFlags;
import java.util.Arrays;

/**
 * A test disk cut into runs given up front, data and holes alternating; every data byte is {@link
 * #DATA}. With {@code checkContent} false the fast path accepts any bytes, so that tests of the
 * ledger with millions of runs do not spend their time comparing.
 */
final class RunsDisk implements BlockDevice, ExpectedContent {
    static final byte DATA = 0x5a;
    private final long size;

    /** Start of each run, strictly increasing, starts[0] == 0. */
    private final long[] starts;

    private final boolean firstIsData;
    private final boolean checkContent;

    RunsDisk(long size, long[] starts, boolean firstIsData, boolean checkContent) {
        this.size = size;
        this.starts = starts;
        this.firstIsData = firstIsData;
        this.checkContent = checkContent;
    }

    int runOf(long offset) {
        int i = Arrays.binarySearch(starts, offset);
        return i >= 0 ? i : -i - 2;
    }

    boolean isDataRun(int run) {
        return firstIsData == (run % 2 == 0);
    }

    long runEnd(int run) {
        return run + 1 < starts.length ? starts[run + 1] : size;
    }

    long runStart(int run) {
        return starts[run];
    }

    int runs() {
        return starts.length;
    }

    boolean isData(long offset) {
        return isDataRun(runOf(offset));
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
            b[i] = isData(offset + i) ? DATA : 0;
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
        long end = Math.min(size, offset + length);
        long pos = offset;
        int run = runOf(offset);
        while (pos < end && run < starts.length) {
            long runEnd = runEnd(run);
            int type =
                    isDataRun(run)
                            ? IoFlags.EXTENT_DATA
                            : IoFlags.EXTENT_HOLE | IoFlags.EXTENT_ZERO;
            if (!sink.extent(runEnd - pos, type)) {
                return;
            }
            pos = runEnd;
            run++;
        }
    }

    @Override
    public long mismatch(long offset, ByteBuf data) {
        if (!checkContent) {
            return MATCH;
        }
        for (int i = 0; i < data.readableBytes(); i++) {
            if (data.getByte(data.readerIndex() + i) != (isData(offset + i) ? DATA : 0)) {
                return offset + i;
            }
        }
        return MATCH;
    }

    @Override
    public String describeExpected(long offset, int length) {
        return isData(offset) ? "0x5a" : "zeroes";
    }
}
