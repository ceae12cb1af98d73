package io.sparserandom.generator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.Capabilities;
import io.sparserandom.device.ExpectedContent;
import io.sparserandom.device.IoFlags;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A seeded, VM-shaped sparse disk generated on the fly: islands of data in a sea of holes, every
 * byte a pure function of the {@link DiskParams} and its offset. Reads return the content; writes,
 * zero and trim are accepted without checking (the verifier module checks them against {@link
 * #mismatch} and {@link #extents}); flush and cache do nothing.
 *
 * <p>Two parts, chosen once in {@link #create}:
 *
 * <ul>
 *   <li>a {@link Layout}: which 4 KiB blocks are data, as runs. {@link SegmentLayout} (default,
 *       memory-free) or {@link NbdkitLayout} (compat=nbdkit, nbdkit's chain replayed once). Holes
 *       read as zeroes.
 *   <li>a {@link DataContent}: the bytes of the data runs, repeated bytes or random, from a {@link
 *       ContentModel} ({@link DefaultContentModel} or {@link NbdkitContentModel}).
 * </ul>
 *
 * Every operation walks the runs of its range with a {@link RunCursor}: holes are handled here,
 * data runs by the content.
 *
 * <p>Thread-safe without locks: layouts are immutable or keep per-thread caches, and all scratch is
 * per thread.
 */
public final class SparseRandomDisk implements BlockDevice, ExpectedContent {
    static final int BLOCK_SIZE = 4096;
    static final int BLOCK_SHIFT = 12;
    private static final int HOLE = IoFlags.EXTENT_HOLE | IoFlags.EXTENT_ZERO;

    private final DiskParams params;
    private final long size;
    private final Layout layout;
    private final DataContent content;
    private final ThreadLocal<ReplyParts> replyParts = ThreadLocal.withInitial(ReplyParts::new);

    SparseRandomDisk(DiskParams params, Layout layout, ContentModel model) {
        if (layout.blocks() != blocks(params.size())) {
            throw new IllegalArgumentException(
                    "layout of "
                            + layout.blocks()
                            + " blocks for a disk of "
                            + params.size()
                            + " bytes");
        }
        this.params = params;
        this.size = params.size();
        this.layout = layout;
        this.content = DataContent.of(model, params.randomContent());
    }

    /**
     * Builds the disk: instant for DEFAULT at any size. NBDKIT replays nbdkit's chain, one PRNG
     * draw per 4 KiB block, and keeps 8 bytes per run, so it is meant for sizes nbdkit itself can
     * serve (a few TiB).
     *
     * @throws IllegalArgumentException if an NBDKIT layout would have more than 2^31 runs
     */
    public static SparseRandomDisk create(DiskParams p) {
        long blocks = blocks(p.size());
        if (p.shape() != null) {
            return new SparseRandomDisk(
                    p, ShapeLayout.create(p.shape(), blocks), new DefaultContentModel(p.seed()));
        }
        return switch (p.model()) {
            case DEFAULT ->
                    new SparseRandomDisk(
                            p, SegmentLayout.create(p, blocks), new DefaultContentModel(p.seed()));
            case NBDKIT ->
                    new SparseRandomDisk(
                            p, NbdkitLayout.scan(p, blocks), new NbdkitContentModel(p.seed()));
        };
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
        long end = offset + length;
        RunCursor runs = runs(offset, end, blockAfter(end));
        while (runs.next()) {
            if (runs.data()) {
                content.read(runs.start(), runs.stop(), dst);
            } else {
                dst.writeZero((int) runs.length());
            }
        }
    }

    /**
     * Zero-copy read when the content allows it (repeated bytes): the reply is a composite of
     * slices of {@link SharedBlocks}, so nothing is filled and the kernel copies straight from
     * them. Otherwise the bytes are generated into a fresh buffer.
     */
    @Override
    public ByteBuf readBuffer(long offset, int length, ByteBufAllocator alloc) {
        if (!content.zeroCopy() || length <= BLOCK_SIZE) {
            ByteBuf dst = alloc.directBuffer(length);
            read(offset, length, dst);
            return dst;
        }
        long end = offset + length;
        int maxComponents = (length >>> BLOCK_SHIFT) + 2;
        // The parts are gathered first and added in one call (one offset update, not one per part).
        ByteBuf[] parts = replyParts.get().atLeast(maxComponents);
        int count = 0;
        RunCursor runs = runs(offset, end, blockAfter(end));
        while (runs.next()) {
            if (runs.data()) {
                count = content.share(runs.start(), runs.stop(), parts, count);
            } else {
                for (long left = runs.length(); left > 0; ) {
                    int n = (int) Math.min(SharedBlocks.MAX_ZEROES, left);
                    parts[count++] = SharedBlocks.zeroes(n);
                    left -= n;
                }
            }
        }
        CompositeByteBuf out = alloc.compositeDirectBuffer(maxComponents);
        out.addComponents(
                true,
                Arrays.copyOf(
                        parts,
                        count)); // sized exactly: the composite reserves room for the whole array
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
     * Whole runs from {@code offset}: holes as HOLE|ZERO, allocated zeroes as ZERO, data as DATA,
     * neighbours never of the same type. The last run may reach past {@code offset + length} (the
     * server clips); how far the walk looks past the request to find its end is bounded by the
     * layout's lookahead.
     */
    @Override
    public void extents(long offset, long length, ExtentSink sink) {
        long end = offset + Math.min(length, size - offset);
        long lookahead = layout.lookaheadBlocks();
        long endBlock = blockAfter(end);
        long limit =
                endBlock > layout.blocks() - lookahead ? layout.blocks() : endBlock + lookahead;
        // At least the run at offset, even for an empty request.
        RunCursor runs = runs(offset, Math.max(end, offset + 1), limit);
        while (runs.next()) {
            if (!sink.extent(
                    runs.runEnd() - runs.start(),
                    runs.data()
                            ? IoFlags.EXTENT_DATA
                            : runs.allocatedZero() ? IoFlags.EXTENT_ZERO : HOLE)) {
                return;
            }
        }
    }

    @Override
    public long mismatch(long offset, ByteBuf data) {
        int length = data.readableBytes();
        long end = offset + length;
        if (offset >= size) {
            return end > offset ? offset : MATCH;
        }
        int inDisk = (int) (Math.min(end, size) - offset);
        // A payload that arrived in several socket reads is a composite: one NIO view per part,
        // compared in turn (never copied).
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
     * {@link #mismatch(long, ByteBuf)} for one NIO view that lies wholly inside the disk, part of a
     * write whose bytes inside the disk end at {@code until}: the content may generate ahead for
     * the whole write, not just this part (a payload read from the socket in pieces splits
     * anywhere, and a part's last few blocks would otherwise be generated one at a time).
     */
    private long mismatch(long offset, ByteBuffer view, long until) {
        int base = view.position();
        long address = MemoryCompare.addressOf(view);
        RunCursor runs = runs(offset, offset + view.remaining(), blockAfter(until));
        while (runs.next()) {
            int at = base + (int) (runs.start() - offset);
            long i =
                    runs.data()
                            ? content.mismatch(
                                    view,
                                    address,
                                    at,
                                    runs.start(),
                                    runs.stop(),
                                    Math.min(until, runs.runEnd()))
                            : MemoryCompare.firstNotUniform(
                                    view, address, at, (int) runs.length(), 0);
            if (i >= 0) {
                return runs.start() + i;
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
        RunCursor runs = runs(offset, end, blockAfter(end));
        runs.next();
        if (!runs.data()) {
            return "zeroes x"
                    + runs.length()
                    + " (hole)"
                    + (runs.stop() < end ? ", then data" : "");
        }
        long stop = Math.min(end, Math.min(size, (offset & -BLOCK_SIZE) + BLOCK_SIZE));
        return content.describe(offset, stop, stop < end ? ", then more blocks" : "");
    }

    // ---- helpers ----

    private RunCursor runs(long from, long end, long limit) {
        return new RunCursor(layout, size, from, end, limit);
    }

    /** Number of 4 KiB blocks of a disk of {@code size} bytes, the last one possibly partial. */
    private static long blocks(long size) {
        return (size - 1) / BLOCK_SIZE + 1;
    }

    /**
     * The first block wholly at or after byte {@code end} (exclusive end of the blocks touched).
     */
    private static long blockAfter(long end) {
        return ((end - 1) >>> BLOCK_SHIFT) + 1;
    }

    private void checkOffset(long offset) {
        if (offset < 0 || offset >= size) {
            throw new IllegalArgumentException(
                    "offset " + offset + " outside the disk (size " + size + ")");
        }
    }

    /**
     * Per-thread array for the parts of a zero-copy read reply (grown on demand, emptied after each
     * use).
     */
    private static final class ReplyParts {
        private ByteBuf[] parts = new ByteBuf[66];

        ByteBuf[] atLeast(int n) {
            if (parts.length < n) {
                parts = new ByteBuf[n];
            }
            return parts;
        }
    }
}
