package io.sparserandom.generator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.internal.PlatformDependent;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.Capabilities;
import io.sparserandom.device.IoFlags;
import io.sparserandom.device.ExpectedContent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A seeded, VM-shaped sparse disk generated on the fly: islands of data in a sea of holes, every
 * byte a pure function of the {@link DiskParams} and its offset. Reads return the content; writes,
 * zero and trim are accepted without checking (the verifier module checks them against
 * {@link #mismatch} and {@link #extents}); flush and cache do nothing.
 *
 * <h2>Layout</h2>
 * Which 4 KiB blocks are data: {@link NbdkitLayout} (compat=nbdkit, nbdkit's chain replayed once
 * at {@link #create}) or {@link SegmentLayout} (default, memory-free). Percent 0 and 100 are
 * all-hole and all-data in both models. Holes read as zeroes.
 *
 * <h2>Content of the data block starting at byte offset {@code off}</h2>
 * <pre>
 *   NBDKIT, repeated byte : b = xoshiro256**(seed + off).next() & 0xff, 0 -> 1; b x 4096
 *   NBDKIT, random        : 4096 outputs of xoshiro256**(seed + off), low 8 bits each, in order
 *   DEFAULT: h = mix64(contentKey + (off / 4096) * GOLDEN), contentKey = mix64(seed ^ CONTENT_SALT)
 *     repeated byte       : b = h & 0xff, 0 -> 1; b x 4096
 *     random              : 512 outputs of xoshiro256**(h), each stored as 8 bytes little-endian
 * </pre>
 * The seed is the block's start even for a read that starts inside the block, so the bytes do not
 * depend on how they are asked for (nbdkit seeds a partial first block with the unaligned
 * request offset; we deliberately differ there, and equal nbdkit for aligned reads).
 *
 * <p>Thread-safe without locks: the layouts are immutable or keep per-thread caches; the scratch
 * block for random content is per thread.
 */
public final class SparseRandomDisk implements BlockDevice, ExpectedContent {
    static final int BLOCK_SIZE = 4096;
    static final int BLOCK_SHIFT = 12;
    private static final long CONTENT_SALT = 0xc0417e47c0417e47L;
    private static final int HOLE = IoFlags.EXTENT_HOLE | IoFlags.EXTENT_ZERO;
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** One 4 KiB block per byte value, shared read-only (absolute indexes only). */
    private static final byte[][] REPEATED = new byte[256][];
    /** The same blocks as shared direct buffers, for zero-copy replies: never written, never released. */
    private static final ByteBuf[] SHARED_BLOCKS = new ByteBuf[256];
    private static final ByteBuf SHARED_ZEROES =
            Unpooled.unreleasableBuffer(Unpooled.directBuffer(1 << 20, 1 << 20).writeZero(1 << 20));
    /** How far apart the bytes are that {@link #firstNotUniform} compares: one cache line. */
    private static final int STRIDE = 64;
    /** Direct memory can be read by address (Netty found Unsafe). */
    private static final boolean UNSAFE_READS = PlatformDependent.hasUnsafe();

    static {
        for (int v = 0; v < 256; v++) {
            byte[] b = new byte[BLOCK_SIZE];
            Arrays.fill(b, (byte) v);
            REPEATED[v] = b;
            SHARED_BLOCKS[v] = Unpooled.unreleasableBuffer(Unpooled.directBuffer(BLOCK_SIZE, BLOCK_SIZE).writeBytes(b));
        }
    }

    private final DiskParams params;
    private final long size;
    private final Layout layout;
    private final boolean compat;
    private final long contentKey;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private SparseRandomDisk(DiskParams params, Layout layout) {
        this.params = params;
        this.size = params.size();
        this.layout = layout;
        this.compat = params.model() == DiskParams.Model.NBDKIT;
        this.contentKey = Xoshiro256.mix64(params.seed() ^ CONTENT_SALT);
    }

    /**
     * Builds the disk: instant for DEFAULT at any size. NBDKIT replays nbdkit's chain, one PRNG
     * draw per 4 KiB block (about 1.2 s per TiB on this machine) and keeps 8 bytes per run, so it
     * is meant for sizes nbdkit itself can serve (a few TiB).
     *
     * @throws IllegalArgumentException if an NBDKIT layout would have more than 2^31 runs
     */
    public static SparseRandomDisk create(DiskParams p) {
        long blocks = (p.size() - 1) / BLOCK_SIZE + 1;
        Layout layout = p.model() == DiskParams.Model.NBDKIT
                ? NbdkitLayout.scan(p, blocks)
                : SegmentLayout.create(p, blocks);
        return new SparseRandomDisk(p, layout);
    }

    public DiskParams params() {
        return params;
    }

    /** Whether the 4 KiB block containing {@code offset} (0 <= offset < size) is data. */
    public boolean isData(long offset) {
        checkOffset(offset);
        return layout.isData(offset >>> BLOCK_SHIFT);
    }

    Layout layout() {
        return layout;
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
        long pos = offset;
        long end = offset + length;
        long limit = blockAfter(end);
        Scratch sc = null;
        while (pos < end) {
            long block = pos >>> BLOCK_SHIFT;
            boolean data = layout.isData(block);
            long stop = Math.min(end, byteOf(layout.runEnd(block, limit)));
            if (!data) {
                dst.writeZero((int) (stop - pos));
                pos = stop;
                continue;
            }
            while (pos < stop) {
                long blockStart = pos & -BLOCK_SIZE;
                int within = (int) (pos - blockStart);
                int n = (int) Math.min(BLOCK_SIZE - within, stop - pos);
                if (params.randomContent()) {
                    if (sc == null) {
                        sc = scratch.get();
                    }
                    dst.writeBytes(sc.bytes, randomBlock(sc, blockStart, stop) + within, n);
                } else {
                    dst.writeBytes(REPEATED[repeatedByte(blockStart)], within, n);
                }
                pos += n;
            }
        }
    }

    /**
     * Zero-copy read for the repeated-byte content: the reply is a composite of slices of shared,
     * read-only direct buffers (one 4 KiB block per byte value, and 1 MiB of zeroes for holes), so
     * nothing is filled and the kernel copies straight from them. Random content is generated
     * into a fresh buffer as usual.
     */
    @Override
    public ByteBuf readBuffer(long offset, int length, ByteBufAllocator alloc) {
        if (params.randomContent() || length <= BLOCK_SIZE) {
            ByteBuf dst = alloc.directBuffer(length);
            read(offset, length, dst);
            return dst;
        }
        long pos = offset;
        long end = offset + length;
        long limit = blockAfter(end);
        int maxComponents = (int) Math.min(Integer.MAX_VALUE, (length >>> BLOCK_SHIFT) + 2);
        // The parts are gathered first and added in one call (one offset update, not one per part).
        ByteBuf[] parts = scratch.get().parts(maxComponents);
        int count = 0;
        while (pos < end) {
            long block = pos >>> BLOCK_SHIFT;
            boolean data = layout.isData(block);
            long stop = Math.min(end, byteOf(layout.runEnd(block, limit)));
            if (!data) {
                while (pos < stop) {
                    int n = (int) Math.min(SHARED_ZEROES.capacity(), stop - pos);
                    parts[count++] = SHARED_ZEROES.slice(0, n);
                    pos += n;
                }
                continue;
            }
            while (pos < stop) {
                long blockStart = pos & -BLOCK_SIZE;
                int within = (int) (pos - blockStart);
                int n = (int) Math.min(BLOCK_SIZE - within, stop - pos);
                ByteBuf shared = SHARED_BLOCKS[repeatedByte(blockStart)];
                // A whole block is the shared buffer itself (a composite may hold one buffer many
                // times; releasing it does nothing): no slice to allocate and unwrap again.
                parts[count++] = n == BLOCK_SIZE ? shared : shared.slice(within, n);
                pos += n;
            }
        }
        CompositeByteBuf out = alloc.compositeDirectBuffer(maxComponents);
        out.addComponents(true, Arrays.copyOf(parts, count)); // sized exactly: the composite reserves room for the whole array
        Arrays.fill(parts, 0, count, null);
        return out;
    }

    /** Accepted, not checked: verification is the verifier module's job. */
    @Override
    public void write(long offset, ByteBuf data, int flags) {}

    /** Accepted, not checked: verification is the verifier module's job. */
    @Override
    public void zero(long offset, long length, int flags) {}

    /** Accepted, not checked: verification is the verifier module's job. */
    @Override
    public void trim(long offset, long length, int flags) {}

    @Override
    public void flush(int flags) {}

    @Override
    public void cache(long offset, long length, int flags) {}

    /**
     * Whole runs from {@code offset}: holes as HOLE|ZERO, data as DATA, neighbours never of the
     * same type. The last run may reach past {@code offset + length} (the server clips); how far
     * the walk looks past the request to find its end is bounded (DEFAULT: 1024 segments).
     */
    @Override
    public void extents(long offset, long length, ExtentSink sink) {
        long end = offset + Math.min(length, size - offset);
        long lookahead = layout.lookaheadBlocks();
        long endBlock = blockAfter(end);
        long limit = endBlock > layout.blocks() - lookahead ? layout.blocks() : endBlock + lookahead;
        long pos = offset;
        do {
            long block = pos >>> BLOCK_SHIFT;
            boolean data = layout.isData(block);
            long runEnd = byteOf(layout.runEnd(block, limit));
            if (!sink.extent(runEnd - pos, data ? IoFlags.EXTENT_DATA : HOLE)) {
                return;
            }
            pos = runEnd;
        } while (pos < end);
    }

    @Override
    public long mismatch(long offset, ByteBuf data) {
        int length = data.readableBytes();
        long end = offset + length;
        if (offset >= size) {
            return end > offset ? offset : MATCH;
        }
        int inDisk = (int) (Math.min(end, size) - offset);
        // NIO views of the written bytes: holes and repeated bytes are checked by address
        // (allEqual), random content with ByteBuffer.mismatch. A payload that arrived in several
        // socket reads is a composite: one view per part, compared in turn (never copied).
        long until = offset + inDisk;
        if (data.nioBufferCount() == 1) {
            long at = mismatch(offset, data.nioBuffer(data.readerIndex(), inDisk), until);
            if (at != MATCH) {
                return at;
            }
        } else {
            long pos = offset;
            for (ByteBuffer part : data.nioBuffers(data.readerIndex(), inDisk)) {
                int n = part.remaining();
                long at = mismatch(pos, part, until);
                if (at != MATCH) {
                    return at;
                }
                pos += n;
            }
        }
        return end > size ? size : MATCH; // bytes past the end can never match
    }

    /**
     * {@link #mismatch(long, ByteBuf)} for one NIO view that lies wholly inside the disk, part of
     * a write whose bytes inside the disk end at {@code until}: random blocks are generated for
     * the whole write, not just this part (a payload read from the socket in pieces splits
     * anywhere, and a part's last few blocks would otherwise be generated one at a time).
     */
    private long mismatch(long offset, ByteBuffer view, long until) {
        int base = view.position();
        long inDisk = offset + view.remaining();
        long limit = blockAfter(until);
        Scratch sc = scratch.get();
        long address = view.isDirect() && UNSAFE_READS ? PlatformDependent.directBufferAddress(view) : 0;
        long pos = offset;
        while (pos < inDisk) {
            long block = pos >>> BLOCK_SHIFT;
            boolean isData = layout.isData(block);
            long runEnd = byteOf(layout.runEnd(block, limit));
            long stop = Math.min(inDisk, runEnd);
            if (!isData) {
                long at = firstNotUniform(view, address, base + (int) (pos - offset), (int) (stop - pos), 0, sc);
                if (at >= 0) {
                    return pos + at;
                }
                pos = stop;
                continue;
            }
            while (pos < stop) {
                long blockStart = pos & -BLOCK_SIZE;
                int within = (int) (pos - blockStart);
                int n = (int) Math.min(BLOCK_SIZE - within, stop - pos);
                long at;
                if (params.randomContent()) {
                    int from = randomBlock(sc, blockStart, Math.min(until, runEnd)) + within;
                    at = firstDifference(view, base + (int) (pos - offset), sc.blocksView, from, n);
                } else {
                    at = firstNotUniform(view, address, base + (int) (pos - offset), n, repeatedByte(blockStart), sc);
                }
                if (at >= 0) {
                    return pos + at;
                }
                pos += n;
            }
        }
        return MATCH;
    }

    @Override
    public String describeExpected(long offset, int length) {
        if (length <= 0 || offset < 0 || offset >= size) {
            return "nothing (outside the disk)";
        }
        long end = offset + Math.min(length, size - offset);
        long block = offset >>> BLOCK_SHIFT;
        if (!layout.isData(block)) {
            long stop = Math.min(end, byteOf(layout.runEnd(block, blockAfter(end))));
            return "zeroes x" + (stop - offset) + " (hole)" + (stop < end ? ", then data" : "");
        }
        long blockStart = offset & -BLOCK_SIZE;
        long stop = Math.min(end, Math.min(size, blockStart + BLOCK_SIZE));
        String more = stop < end ? ", then more blocks" : "";
        if (!params.randomContent()) {
            return String.format("0x%02x x%d%s", repeatedByte(blockStart), stop - offset, more);
        }
        if (compat) {
            return String.format("random bytes x%d (xoshiro256** seeded with seed+offset 0x%x, low byte"
                    + " of each output, from byte %d of the block)%s",
                    stop - offset, params.seed() + blockStart, offset - blockStart, more);
        }
        return String.format("random bytes x%d (xoshiro256** seeded with block hash 0x%016x, 8 bytes"
                + " LE per output, from byte %d of the block)%s",
                stop - offset, blockHash(blockStart), offset - blockStart, more);
    }

    // ---- content ----

    /** The repeated byte of the data block starting at {@code blockStart} (non-random content). */
    int repeatedByte(long blockStart) {
        long v;
        if (compat) {
            // The first xoshiro256** output only needs s1, the second SplitMix64 output.
            long s1 = Xoshiro256.mix64(params.seed() + blockStart + 2 * Xoshiro256.GOLDEN);
            v = Long.rotateLeft(s1 * 5, 7) * 9;
        } else {
            v = blockHash(blockStart);
        }
        int b = (int) (v & 0xff);
        return b == 0 ? 1 : b;
    }

    /** The value the random content of the block at {@code blockStart} is seeded from (both models). */
    long blockSeed(long blockStart) {
        return compat ? params.seed() + blockStart : blockHash(blockStart);
    }

    private long blockHash(long blockStart) {
        return Xoshiro256.mix64(contentKey + (blockStart >>> BLOCK_SHIFT) * Xoshiro256.GOLDEN);
    }

    /** Fills {@code out[base..base+4096)} with the random content of the data block at {@code blockStart}. */
    void fillRandom(long blockStart, byte[] out, int base) {
        Xoshiro256 g = new Xoshiro256(blockSeed(blockStart));
        if (compat) {
            // nbdkit's content: the low byte of one xoshiro256** output per byte.
            for (int i = 0; i < BLOCK_SIZE; i++) {
                out[base + i] = (byte) g.next();
            }
        } else {
            for (int i = 0; i < BLOCK_SIZE; i += Long.BYTES) {
                LONG_LE.set(out, base + i, g.next());
            }
        }
    }

    // ---- helpers ----

    /** First differing index of {@code view[at0..at0+n)} against {@code expected[at..at+n)}, or -1. */
    private static long firstDifference(ByteBuffer view, int at0, ByteBuffer expected, int at, int n) {
        expected.clear().position(at).limit(at + n);
        view.limit(at0 + n).position(at0);
        return view.mismatch(expected);
    }

    /**
     * First index of {@code view[at0..at0+n)} that differs from {@code n} copies of {@code value},
     * or -1. {@code address} is the native address of a direct view's index 0, or 0. A direct view
     * is first checked a long at a time ({@link #allEqual}); where that finds a difference, or for a
     * heap view, the first {@link #STRIDE} bytes are compared with the value, then the range with
     * itself {@code STRIDE} bytes further on: if {@code view[at0+i] != view[at0+STRIDE+i]} first at
     * {@code i}, every byte before {@code STRIDE+i} equals the value and that one does not.
     */
    private static long firstNotUniform(ByteBuffer view, long address, int at0, int n, int value, Scratch sc) {
        if (address != 0 && allEqual(address + at0, n, value)) {
            return -1;
        }
        ByteBuffer repeated = sc.repeated(value);
        if (n <= 2 * STRIDE) {
            return firstDifference(view, at0, repeated, 0, n);
        }
        long at = firstDifference(view, at0, repeated, 0, STRIDE);
        if (at >= 0) {
            return at;
        }
        ByteBuffer shifted = view.duplicate(); // the same bytes, compared with themselves
        shifted.limit(at0 + n).position(at0 + STRIDE);
        view.limit(at0 + n - STRIDE).position(at0);
        long i = view.mismatch(shifted);
        return i < 0 ? -1 : STRIDE + i;
    }

    /**
     * Whether the {@code n} bytes of native memory at {@code address} all hold {@code value}, read
     * a long at a time. The hot loop of a self-copy's verification: on JDK 17 it checks direct
     * memory about 1.7 times as fast as {@code ByteBuffer.mismatch} does on direct buffers (24 vs
     * 14 GB/s over 256 KiB, measured here); it only says whether, the caller finds where.
     */
    private static boolean allEqual(long address, int n, int value) {
        long pattern = (value & 0xffL) * 0x0101010101010101L;
        long diff = 0;
        int i = 0;
        for (; i <= n - Long.BYTES; i += Long.BYTES) {
            diff |= PlatformDependent.getLong(address + i) ^ pattern;
        }
        for (; i < n; i++) {
            diff |= (PlatformDependent.getByte(address + i) ^ value) & 0xff;
        }
        return diff == 0;
    }

    /** Byte offset of a block boundary, clipped to the size (the last block may be partial). */
    private long byteOf(long block) {
        return block >= layout.blocks() ? size : block << BLOCK_SHIFT;
    }

    /** The first block wholly at or after byte {@code end} (exclusive end of the blocks touched). */
    private static long blockAfter(long end) {
        return ((end - 1) >>> BLOCK_SHIFT) + 1;
    }

    private void checkOffset(long offset) {
        if (offset < 0 || offset >= size) {
            throw new IllegalArgumentException("offset " + offset + " outside the disk (size " + size + ")");
        }
    }

    /**
     * Where the random block at {@code start} begins in the thread's scratch, generating it unless
     * it is there already (unaligned neighbours, the next block of a request). With the vector
     * module, the blocks up to byte {@code until} are generated several at a time.
     */
    private int randomBlock(Scratch sc, long start, long until) {
        if (sc.first >= 0 && start >= sc.first && start < sc.first + ((long) sc.count << BLOCK_SHIFT)) {
            return (int) (start - sc.first);
        }
        int lanes = Lanes.AVAILABLE;
        if (lanes > 0 && until - start > (long) (lanes - 1) * BLOCK_SIZE) {
            for (int k = 0; k < lanes; k++) {
                new Xoshiro256(blockSeed(start + ((long) k << BLOCK_SHIFT))).stateInto(sc.s0, sc.s1, sc.s2, sc.s3, k);
            }
            if (compat) {
                LaneFill.fill(sc.s0, sc.s1, sc.s2, sc.s3, sc.bytes, sc.outputs);
            } else {
                LaneFill.fillWords(sc.s0, sc.s1, sc.s2, sc.s3, sc.bytes, sc.outputs);
            }
            sc.count = lanes;
        } else {
            fillRandom(start, sc.bytes, 0);
            sc.count = 1;
        }
        sc.first = start;
        return 0;
    }

    /** Per-thread scratch: the random blocks generated last, so neighbours reuse them. */
    private static final class Scratch {
        final byte[] bytes = new byte[Math.max(1, Lanes.AVAILABLE) * BLOCK_SIZE];
        /** Per-thread views (ByteBuffer positions are mutable, so never shared). */
        final ByteBuffer blocksView = ByteBuffer.wrap(bytes);
        final ByteBuffer[] repeatedViews = new ByteBuffer[256];
        /** The blocks in {@link #bytes}: [first, first + count * 4096). */
        long first = -1;
        int count;
        /** Vector fill only: the lanes' states and outputs. */
        final long[] s0 = new long[Lanes.AVAILABLE];
        final long[] s1 = new long[Lanes.AVAILABLE];
        final long[] s2 = new long[Lanes.AVAILABLE];
        final long[] s3 = new long[Lanes.AVAILABLE];
        final long[] outputs = new long[Lanes.AVAILABLE * (BLOCK_SIZE / Long.BYTES)]; // a word per 8 bytes

        /** Parts of a zero-copy read reply (grown on demand, emptied after each use). */
        private ByteBuf[] parts = new ByteBuf[66];

        ByteBuf[] parts(int atLeast) {
            if (parts.length < atLeast) {
                parts = new ByteBuf[atLeast];
            }
            return parts;
        }

        ByteBuffer repeated(int value) {
            ByteBuffer b = repeatedViews[value];
            if (b == null) {
                b = ByteBuffer.wrap(REPEATED[value]).asReadOnlyBuffer();
                repeatedViews[value] = b;
            }
            return b;
        }
    }
}
