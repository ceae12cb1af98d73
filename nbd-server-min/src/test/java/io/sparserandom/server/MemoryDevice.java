package io.sparserandom.server;

import io.netty.buffer.ByteBuf;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.Capabilities;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.Errno;
import io.sparserandom.device.IoFlags;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test device in memory: blocks of {@link #BLOCK} bytes, each either allocated (holding bytes) or
 * a hole (reads as zeroes). Starts with a pattern: every fourth block is a hole, the others hold
 * {@link #pattern(long)}. Extents are honest: a hole is reported as HOLE|ZERO, an allocated block
 * as data. {@link #failAt(long)} makes any read or write touching that offset fail with EIO there.
 */
final class MemoryDevice implements BlockDevice {
    static final int BLOCK = 64 * 1024;
    static final long DEFAULT_SIZE = 64L << 20;

    private final byte[] bytes;
    private final boolean[] allocated;
    private final Capabilities capabilities;
    private volatile long failAt = -1;
    private final AtomicInteger flushes = new AtomicInteger();

    MemoryDevice() {
        this(DEFAULT_SIZE, Capabilities.all());
    }

    MemoryDevice(long size, Capabilities capabilities) {
        if (size % BLOCK != 0 || size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("size must be a multiple of " + BLOCK);
        }
        this.bytes = new byte[(int) size];
        this.allocated = new boolean[(int) (size / BLOCK)];
        this.capabilities = capabilities;
        for (int b = 0; b < allocated.length; b++) {
            if (isInitialHole(b)) {
                continue;
            }
            allocated[b] = true;
            for (int i = 0; i < BLOCK; i++) {
                long off = (long) b * BLOCK + i;
                bytes[(int) off] = pattern(off);
            }
        }
    }

    /** Block b starts as a hole. */
    static boolean isInitialHole(int block) {
        return block % 4 == 3;
    }

    /** The initial byte at an allocated offset; never 0, so data can never pass for a hole. */
    static byte pattern(long offset) {
        long x = offset * 0x9E3779B97F4A7C15L;
        byte b = (byte) (x >>> 56);
        return b == 0 ? 1 : b;
    }

    /** What the device holds now, for checking reads. */
    synchronized byte[] copy(long offset, int length) {
        return Arrays.copyOfRange(bytes, (int) offset, (int) offset + length);
    }

    synchronized boolean isAllocated(long offset) {
        return allocated[(int) (offset / BLOCK)];
    }

    void failAt(long offset) {
        this.failAt = offset;
    }

    int flushes() {
        return flushes.get();
    }

    private void checkFault(long offset, long length) throws DeviceException {
        long f = failAt;
        if (f >= offset && f < offset + length) {
            throw new DeviceException(Errno.EIO, "injected fault at " + f, f);
        }
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public synchronized void read(long offset, int length, ByteBuf dst) throws DeviceException {
        checkFault(offset, length);
        dst.writeBytes(bytes, (int) offset, length);
    }

    @Override
    public synchronized void write(long offset, ByteBuf data, int flags) throws DeviceException {
        int length = data.readableBytes();
        checkFault(offset, length);
        data.getBytes(data.readerIndex(), bytes, (int) offset, length);
        for (long b = offset / BLOCK; b <= (offset + length - 1) / BLOCK; b++) {
            allocated[(int) b] = true;
        }
    }

    @Override
    public synchronized void zero(long offset, long length, int flags) throws DeviceException {
        checkFault(offset, length);
        Arrays.fill(bytes, (int) offset, (int) (offset + length), (byte) 0);
        for (long b = offset / BLOCK; b <= (offset + length - 1) / BLOCK; b++) {
            boolean whole = b * BLOCK >= offset && (b + 1) * BLOCK <= offset + length;
            if (whole && (flags & IoFlags.MAY_TRIM) != 0) {
                allocated[(int) b] = false;
            } else {
                allocated[(int) b] = true;
            }
        }
    }

    @Override
    public synchronized void trim(long offset, long length, int flags) throws DeviceException {
        // Only whole blocks become holes (they then read as zeroes); partial blocks keep their
        // data.
        for (long b = (offset + BLOCK - 1) / BLOCK; (b + 1) * BLOCK <= offset + length; b++) {
            allocated[(int) b] = false;
            Arrays.fill(bytes, (int) (b * BLOCK), (int) ((b + 1) * BLOCK), (byte) 0);
        }
    }

    @Override
    public void flush(int flags) {
        flushes.incrementAndGet();
    }

    @Override
    public synchronized void extents(long offset, long length, ExtentSink sink)
            throws DeviceException {
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            int b = (int) (pos / BLOCK);
            boolean a = allocated[b];
            long runEnd = (long) (b + 1) * BLOCK;
            while (runEnd < bytes.length && allocated[(int) (runEnd / BLOCK)] == a) {
                runEnd += BLOCK;
            }
            if (!sink.extent(
                    runEnd - pos,
                    a ? IoFlags.EXTENT_DATA : IoFlags.EXTENT_HOLE | IoFlags.EXTENT_ZERO)) {
                return;
            }
            pos = runEnd;
        }
    }
}
