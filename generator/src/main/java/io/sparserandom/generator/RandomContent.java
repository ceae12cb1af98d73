package io.sparserandom.generator;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * Data blocks of random bytes, generated into a per-thread scratch and kept there, so that an
 * unaligned neighbour or the next piece of the same request reuses them. With the vector module
 * ({@link Lanes}) the blocks of a request are generated {@link Lanes#AVAILABLE} at a time whenever
 * that many remain before the caller's {@code until}.
 */
final class RandomContent implements DataContent {
    private static final int BLOCK_SIZE = SparseRandomDisk.BLOCK_SIZE;
    private static final int BLOCK_SHIFT = SparseRandomDisk.BLOCK_SHIFT;

    private final ContentModel model;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /** Whole blocks of a read are generated straight into the destination (see fillInto). */
    private final boolean direct;

    RandomContent(ContentModel model) {
        this.model = model;
        this.direct = model.fillsInto();
    }

    @Override
    public void read(long pos, long stop, ByteBuf dst) {
        Scratch sc = scratch.get();
        while (pos < stop) {
            if (direct
                    && (pos & (BLOCK_SIZE - 1)) == 0
                    && stop - pos >= BLOCK_SIZE
                    && fillInto(pos, dst)) {
                pos += BLOCK_SIZE;
                continue;
            }
            int n = DataContent.inBlock(pos, stop);
            long blockStart = pos & -BLOCK_SIZE;
            dst.writeBytes(sc.bytes, block(sc, blockStart, stop) + (int) (pos - blockStart), n);
            pos += n;
        }
    }

    /**
     * Generates the whole block at {@code blockStart} straight into {@code dst}'s memory, saving
     * the copy out of the scratch; false (nothing done) when {@code dst} is not one NIO buffer.
     */
    private boolean fillInto(long blockStart, ByteBuf dst) {
        dst.ensureWritable(BLOCK_SIZE);
        if (dst.nioBufferCount() != 1) {
            return false;
        }
        int at = dst.writerIndex();
        ByteBuffer view = dst.internalNioBuffer(at, BLOCK_SIZE);
        model.fillBlockInto(blockStart, view, view.position());
        dst.writerIndex(at + BLOCK_SIZE);
        return true;
    }

    @Override
    public boolean zeroCopy() {
        return false;
    }

    @Override
    public int share(long pos, long stop, ByteBuf[] parts, int count) {
        throw new UnsupportedOperationException("random content is generated per request");
    }

    @Override
    public long mismatch(ByteBuffer view, long address, int at, long pos, long stop, long until) {
        Scratch sc = scratch.get();
        long start = pos;
        while (pos < stop) {
            int n = DataContent.inBlock(pos, stop);
            long blockStart = pos & -BLOCK_SIZE;
            if (direct && n == BLOCK_SIZE) {
                // Absolute reads check the limit; views are this thread's (see MemoryCompare).
                int i = model.mismatchInBlock(pos, view.clear(), at + (int) (pos - start));
                if (i >= 0) {
                    return pos - start + i;
                }
                pos += n;
                continue;
            }
            int from = block(sc, blockStart, until) + (int) (pos - blockStart);
            long i =
                    MemoryCompare.firstDifference(view, at + (int) (pos - start), sc.view, from, n);
            if (i >= 0) {
                return pos - start + i;
            }
            pos += n;
        }
        return -1;
    }

    @Override
    public String describe(long offset, long stop, String more) {
        long blockStart = offset & -BLOCK_SIZE;
        return String.format(
                "random bytes x%d (%s, from byte %d of the block)%s",
                stop - offset, model.describeRandom(blockStart), offset - blockStart, more);
    }

    /**
     * Where the block at {@code start} begins in the thread's scratch, generating it unless it is
     * there already; with the vector module, the blocks up to byte {@code until} are generated
     * several at a time.
     */
    private int block(Scratch sc, long start, long until) {
        if (sc.first >= 0
                && start >= sc.first
                && start < sc.first + ((long) sc.count << BLOCK_SHIFT)) {
            return (int) (start - sc.first);
        }
        int lanes = Lanes.AVAILABLE;
        if (lanes > 0 && until - start > (long) (lanes - 1) * BLOCK_SIZE) {
            for (int k = 0; k < lanes; k++) {
                new Xoshiro256(model.blockSeed(start + ((long) k << BLOCK_SHIFT)))
                        .stateInto(sc.s0, sc.s1, sc.s2, sc.s3, k);
            }
            model.fillLanes(sc.s0, sc.s1, sc.s2, sc.s3, sc.bytes, sc.outputs);
            sc.count = lanes;
        } else {
            model.fillBlock(start, sc.bytes, 0);
            sc.count = 1;
        }
        sc.first = start;
        return 0;
    }

    /** Per-thread scratch: the random blocks generated last. */
    private static final class Scratch {
        final byte[] bytes = new byte[Math.max(1, Lanes.AVAILABLE) * BLOCK_SIZE];

        /** A view of {@link #bytes} for comparisons (its position moves, so never shared). */
        final ByteBuffer view = ByteBuffer.wrap(bytes);

        /** The blocks in {@link #bytes}: [first, first + count * 4096). */
        long first = -1;

        int count;

        /** Vector fill only: the lanes' states and outputs (a word per 8 bytes). */
        final long[] s0 = new long[Lanes.AVAILABLE];

        final long[] s1 = new long[Lanes.AVAILABLE];
        final long[] s2 = new long[Lanes.AVAILABLE];
        final long[] s3 = new long[Lanes.AVAILABLE];
        final long[] outputs = new long[Lanes.AVAILABLE * (BLOCK_SIZE / Long.BYTES)];
    }
}
