package io.sparserandom.device;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * What the NBD server serves: a flat table of operations on (offset, length, flags), in the spirit
 * of nbdkit's plugin interface. The server validates every request (bounds, read-only, sizes)
 * before calling, so implementations may assume {@code 0 <= offset}, {@code offset + length <=
 * size()} and {@code length <= 32 MiB} for read and write. Flags are {@link IoFlags}, never wire
 * bits. Errors are {@link DeviceException}s carrying an errno; anything else thrown is answered as
 * EIO.
 *
 * <p>Implementations must be thread-safe: the server calls them from many connections at once.
 */
public interface BlockDevice {
    /** Size in bytes (0 < size <= Long.MAX_VALUE). */
    long size();

    /** Asked once per connection, after the client picked this export. */
    Capabilities capabilities();

    /**
     * Appends exactly {@code length} bytes, the content at {@code offset}, to {@code dst} (at its
     * writerIndex; the server made sure it has room).
     */
    void read(long offset, int length, ByteBuf dst) throws DeviceException;

    /**
     * Returns the content at {@code offset} as a buffer the caller releases. A device whose content
     * repeats may answer with (slices of) shared read-only buffers and so avoid filling memory at
     * all; by default this allocates a buffer and calls {@link #read}.
     */
    default ByteBuf readBuffer(long offset, int length, ByteBufAllocator alloc)
            throws DeviceException {
        ByteBuf dst = alloc.directBuffer(length);
        try {
            read(offset, length, dst);
            return dst;
        } catch (DeviceException | RuntimeException e) {
            dst.release();
            throw e;
        }
    }

    /**
     * Writes the readable bytes of {@code data} at {@code offset}. Must not change data's indexes.
     */
    void write(long offset, ByteBuf data, int flags) throws DeviceException;

    /**
     * Writes zeroes. {@link IoFlags#MAY_TRIM} says the range may become a hole (the client did not
     * send NO_HOLE); {@link IoFlags#FAST_ZERO} asks to fail with ENOTSUP rather than be slow.
     */
    void zero(long offset, long length, int flags) throws DeviceException;

    /** Discards a range (advisory: may do nothing). */
    void trim(long offset, long length, int flags) throws DeviceException;

    void flush(int flags) throws DeviceException;

    /** Prefetch hint: may do nothing. */
    default void cache(long offset, long length, int flags) throws DeviceException {}

    /**
     * Reports the allocation state from {@code offset} on, as consecutive extents that start at
     * {@code offset} and are passed to {@code sink} in order until it returns false or {@code
     * length} bytes are covered (the last extent may reach past {@code length}; the server clips).
     * At least one extent must be reported. Adjacent extents of the same type should be merged by
     * the implementation.
     */
    void extents(long offset, long length, ExtentSink sink) throws DeviceException;

    /**
     * The same map as {@link #extents}, asked by the server to send a read's holes as hole chunks:
     * part of a read, not a block status request, so a decorator that fails block status requests
     * leaves it alone.
     */
    default void readMap(long offset, long length, ExtentSink sink) throws DeviceException {
        extents(offset, length, sink);
    }

    /** Receives extents; return false to stop early. */
    @FunctionalInterface
    interface ExtentSink {
        /**
         * @param type {@link IoFlags#EXTENT_HOLE} and/or {@link IoFlags#EXTENT_ZERO}, 0 for data
         */
        boolean extent(long length, int type);
    }
}
