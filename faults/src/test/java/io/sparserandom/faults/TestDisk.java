package io.sparserandom.faults;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.Capabilities;
import io.sparserandom.device.ExpectedContent;
import io.sparserandom.device.IoFlags;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory test disk of {@link #BLOCK}-byte blocks, each data (every byte {@link #DATA}) or a
 * hole (zeroes). Counts the calls that reach it. {@link #readBuffer} of an all-data range answers
 * with a slice of one shared read-only buffer, as the sparse-random disk does, so tests can check
 * nobody writes into it.
 */
class TestDisk implements BlockDevice {
    static final int BLOCK = 4096;
    static final byte DATA = 0x5a;
    private static final int SHARED_SIZE = 256 << 10;

    private final long size;
    private final BitSet data;
    private final Capabilities caps;
    private final ByteBuf shared;
    final Map<FaultCommand, AtomicLong> calls = new EnumMap<>(FaultCommand.class);

    /**
     * @param data which blocks hold data; the rest are holes
     */
    TestDisk(long size, BitSet data, Capabilities caps) {
        this.size = size;
        this.data = data;
        this.caps = caps;
        byte[] fill = new byte[SHARED_SIZE];
        java.util.Arrays.fill(fill, DATA);
        ByteBuf b = Unpooled.directBuffer(SHARED_SIZE).writeBytes(fill);
        this.shared = b.asReadOnly();
        for (FaultCommand c : FaultCommand.values()) {
            calls.put(c, new AtomicLong());
        }
    }

    /** Every block data, all capabilities. */
    static TestDisk allData(long size) {
        BitSet b = new BitSet();
        b.set(0, (int) ((size + BLOCK - 1) / BLOCK));
        return new TestDisk(size, b, Capabilities.all());
    }

    /** Alternating data and hole blocks, data first. */
    static TestDisk striped(long size) {
        BitSet b = new BitSet();
        for (int i = 0; i < (size + BLOCK - 1) / BLOCK; i += 2) {
            b.set(i);
        }
        return new TestDisk(size, b, Capabilities.all());
    }

    /** This disk, also offering {@link ExpectedContent}. */
    static BlockDevice withExpected(TestDisk d) {
        return new WithExpected(d);
    }

    boolean isData(long offset) {
        return data.get((int) (offset / BLOCK));
    }

    byte byteAt(long offset) {
        return isData(offset) ? DATA : 0;
    }

    long calls(FaultCommand c) {
        return calls.get(c).get();
    }

    /** Releases the shared buffer; the tests run with paranoid leak detection. */
    void close() {
        shared.release();
    }

    /** True when the shared buffer still holds only {@link #DATA}. */
    boolean sharedIntact() {
        byte[] b = new byte[SHARED_SIZE];
        // One access: the tests run with paranoid leak detection, which records each.
        shared.getBytes(0, b);
        for (byte x : b) {
            if (x != DATA) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Capabilities capabilities() {
        return caps;
    }

    @Override
    public void read(long offset, int length, ByteBuf dst) {
        calls.get(FaultCommand.READ).incrementAndGet();
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = byteAt(offset + i);
        }
        dst.writeBytes(b);
    }

    @Override
    public ByteBuf readBuffer(long offset, int length, ByteBufAllocator alloc) {
        boolean allData = length <= SHARED_SIZE;
        for (long b = offset / BLOCK; allData && b * BLOCK < offset + length; b++) {
            allData = data.get((int) b);
        }
        if (!allData) {
            ByteBuf dst = alloc.heapBuffer(length);
            read(offset, length, dst);
            return dst;
        }
        calls.get(FaultCommand.READ).incrementAndGet();
        return shared.retainedSlice(0, length);
    }

    @Override
    public void write(long offset, ByteBuf d, int flags) {
        calls.get(FaultCommand.WRITE).incrementAndGet();
    }

    @Override
    public void zero(long offset, long length, int flags) {
        calls.get(FaultCommand.ZERO).incrementAndGet();
    }

    @Override
    public void trim(long offset, long length, int flags) {
        calls.get(FaultCommand.TRIM).incrementAndGet();
    }

    @Override
    public void flush(int flags) {
        calls.get(FaultCommand.FLUSH).incrementAndGet();
    }

    @Override
    public void cache(long offset, long length, int flags) {
        calls.get(FaultCommand.CACHE).incrementAndGet();
    }

    @Override
    public void extents(long offset, long length, ExtentSink sink) {
        calls.get(FaultCommand.BLOCK_STATUS).incrementAndGet();
        long end = Math.min(size, offset + length);
        long pos = offset;
        while (pos < end) {
            boolean d = isData(pos);
            long runEnd = pos;
            while (runEnd < size && isData(runEnd) == d) {
                runEnd = (runEnd / BLOCK + 1) * BLOCK;
            }
            runEnd = Math.min(runEnd, size);
            if (!sink.extent(
                    runEnd - pos,
                    d ? IoFlags.EXTENT_DATA : IoFlags.EXTENT_HOLE | IoFlags.EXTENT_ZERO)) {
                return;
            }
            pos = runEnd;
        }
    }

    /** Delegates everything, and adds the fast content check. */
    private static final class WithExpected implements BlockDevice, ExpectedContent {
        private final TestDisk d;

        WithExpected(TestDisk d) {
            this.d = d;
        }

        @Override
        public long size() {
            return d.size();
        }

        @Override
        public Capabilities capabilities() {
            return d.capabilities();
        }

        @Override
        public void read(long o, int l, ByteBuf dst) {
            d.read(o, l, dst);
        }

        @Override
        public ByteBuf readBuffer(long o, int l, ByteBufAllocator a) {
            return d.readBuffer(o, l, a);
        }

        @Override
        public void write(long o, ByteBuf b, int f) {
            d.write(o, b, f);
        }

        @Override
        public void zero(long o, long l, int f) {
            d.zero(o, l, f);
        }

        @Override
        public void trim(long o, long l, int f) {
            d.trim(o, l, f);
        }

        @Override
        public void flush(int f) {
            d.flush(f);
        }

        @Override
        public void cache(long o, long l, int f) {
            d.cache(o, l, f);
        }

        @Override
        public void extents(long o, long l, ExtentSink s) {
            d.extents(o, l, s);
        }

        @Override
        public long mismatch(long offset, ByteBuf bytes) {
            for (int i = 0; i < bytes.readableBytes(); i++) {
                if (bytes.getByte(bytes.readerIndex() + i) != d.byteAt(offset + i)) {
                    return offset + i;
                }
            }
            return MATCH;
        }

        @Override
        public String describeExpected(long offset, int length) {
            return d.isData(offset) ? "0x5a" : "zeroes";
        }
    }
}
