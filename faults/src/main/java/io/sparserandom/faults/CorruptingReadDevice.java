package io.sparserandom.faults;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.ForwardingDevice;
import io.sparserandom.device.IoFlags;
import java.util.ArrayList;
import java.util.List;

/**
 * A decorator whose reads lie: the disk is cut into aligned blocks of {@code blockSize} bytes, and
 * a block is corrupted with probability {@code rate}, decided by {@link FaultHash} from (fault
 * seed, block offset). A corrupted block has exactly one bit flipped, at a position also taken from
 * the hash, so every read of it, whole or in part, at any time, on any connection, returns the same
 * wrong bytes. The flipped bit is left alone when it falls in a hole or a zero extent of the
 * wrapped device: holes are never corrupted (so a block that is part hole is corrupted with
 * proportionally lower probability).
 *
 * <p>Buffers from the wrapped {@link #readBuffer} may be shared and read-only; a read that needs a
 * flip is copied first, and one that needs none is passed on as it is, without a copy.
 *
 * <p>This decorator changes content, so it does not offer {@code ExpectedContent}: it belongs
 * outside the verifier, which then checks writes against the true content and rejects a corrupted
 * block written back.
 */
public final class CorruptingReadDevice extends ForwardingDevice {
    public static final int DEFAULT_BLOCK_SIZE = 4096;

    /** Keeps corruption decisions independent of error-rule decisions under the same seed. */
    private static final long SALT = 0x636f7272757074L;

    private final FaultRate rate;
    private final long seed;
    private final int blockSize;
    private final FaultCounters counters;

    public CorruptingReadDevice(
            BlockDevice next, FaultRate rate, long seed, int blockSize, FaultCounters counters) {
        super(next);
        if (blockSize <= 0 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException(
                    "block size " + blockSize + " is not a power of two");
        }
        this.rate = rate;
        this.seed = seed;
        this.blockSize = blockSize;
        this.counters = counters;
    }

    public CorruptingReadDevice(
            BlockDevice next, FaultRate rate, long seed, FaultCounters counters) {
        this(next, rate, seed, DEFAULT_BLOCK_SIZE, counters);
    }

    /** One flipped bit: byte {@code offset} of the disk, mask {@code 1 << bit}. */
    public record Flip(long offset, int bit) {}

    /**
     * The bit flipped in the block starting at {@code blockOffset}, or null when the block is not
     * chosen. Ignores holes.
     */
    public Flip chosenFlip(long blockOffset) {
        long h = FaultHash.block(seed, SALT, blockOffset);
        if (!rate.hit(h)) {
            return null;
        }
        long bitInBlock = Long.remainderUnsigned(FaultHash.mix(h), 8L * blockSize);
        return new Flip(blockOffset + (bitInBlock >>> 3), (int) (bitInBlock & 7));
    }

    /** The flips that land in data inside [offset, offset + length); empty for most reads. */
    private List<Flip> flips(long offset, long length) throws DeviceException {
        if (rate.isZero()) {
            return List.of();
        }
        long end = offset + length;
        long last = (end - 1) & -blockSize;
        List<Flip> out = List.of();
        // Stops at the last block rather than at end: block + blockSize may overflow on the largest
        // disks.
        for (long block = offset & -blockSize; ; block += blockSize) {
            Flip f = chosenFlip(block);
            if (f != null && f.offset() >= offset && f.offset() < end && isData(f.offset())) {
                if (out.isEmpty()) {
                    out = new ArrayList<>(2);
                }
                out.add(f);
            }
            if (block == last) {
                return out;
            }
        }
    }

    private boolean isData(long at) throws DeviceException {
        int[] type = {IoFlags.EXTENT_HOLE | IoFlags.EXTENT_ZERO};
        next.extents(
                at,
                1,
                (len, t) -> {
                    type[0] = t;
                    return false;
                });
        return (type[0] & (IoFlags.EXTENT_HOLE | IoFlags.EXTENT_ZERO)) == 0;
    }

    /**
     * Flips the bits in {@code buf}, whose byte at {@code index} holds disk offset {@code offset}.
     */
    private void apply(List<Flip> flips, ByteBuf buf, int index, long offset) {
        for (Flip f : flips) {
            int i = index + (int) (f.offset() - offset);
            buf.setByte(i, buf.getByte(i) ^ (1 << f.bit()));
            counters.recordFlipped();
        }
    }

    @Override
    public void read(long offset, int length, ByteBuf dst) throws DeviceException {
        int at = dst.writerIndex();
        next.read(offset, length, dst);
        List<Flip> flips = flips(offset, length);
        if (!flips.isEmpty()) {
            apply(flips, dst, at, offset);
        }
    }

    @Override
    public ByteBuf readBuffer(long offset, int length, ByteBufAllocator alloc)
            throws DeviceException {
        ByteBuf buf = next.readBuffer(offset, length, alloc);
        List<Flip> flips;
        try {
            flips = flips(offset, length);
        } catch (DeviceException | RuntimeException e) {
            buf.release();
            throw e;
        }
        if (flips.isEmpty()) {
            return buf;
        }
        // The wrapped device may have answered with a shared buffer: never write into it.
        ByteBuf copy = alloc.directBuffer(length);
        try {
            copy.writeBytes(buf, buf.readerIndex(), length);
        } catch (RuntimeException e) {
            copy.release();
            throw e;
        } finally {
            buf.release();
        }
        apply(flips, copy, copy.readerIndex(), offset);
        return copy;
    }
}
