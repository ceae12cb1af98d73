package io.sparserandom.device;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A decorator's starting point, as an nbdkit filter's default is the next layer: every operation
 * goes to {@link #next} unchanged, so a decorator overrides only what it changes.
 */
public abstract class ForwardingDevice implements BlockDevice {
    /** The wrapped device. */
    protected final BlockDevice next;

    protected ForwardingDevice(BlockDevice next) {
        this.next = next;
    }

    @Override
    public long size() {
        return next.size();
    }

    @Override
    public Capabilities capabilities() {
        return next.capabilities();
    }

    @Override
    public void read(long offset, int length, ByteBuf dst) throws DeviceException {
        next.read(offset, length, dst);
    }

    @Override
    public ByteBuf readBuffer(long offset, int length, ByteBufAllocator alloc)
            throws DeviceException {
        return next.readBuffer(offset, length, alloc);
    }

    @Override
    public void write(long offset, ByteBuf data, int flags) throws DeviceException {
        next.write(offset, data, flags);
    }

    @Override
    public void zero(long offset, long length, int flags) throws DeviceException {
        next.zero(offset, length, flags);
    }

    @Override
    public void trim(long offset, long length, int flags) throws DeviceException {
        next.trim(offset, length, flags);
    }

    @Override
    public void flush(int flags) throws DeviceException {
        next.flush(flags);
    }

    @Override
    public void cache(long offset, long length, int flags) throws DeviceException {
        next.cache(offset, length, flags);
    }

    @Override
    public void extents(long offset, long length, ExtentSink sink) throws DeviceException {
        next.extents(offset, length, sink);
    }

    @Override
    public void readMap(long offset, long length, ExtentSink sink) throws DeviceException {
        next.readMap(offset, length, sink);
    }
}
