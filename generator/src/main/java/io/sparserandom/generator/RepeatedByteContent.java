package io.sparserandom.generator;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * Data blocks of one repeated byte each: served from {@link SharedBlocks} (copied, or shared
 * zero-copy) and checked by comparing the written bytes with the value, with no expected bytes made
 * at all.
 */
final class RepeatedByteContent implements DataContent {
    private static final int BLOCK_SIZE = SparseRandomDisk.BLOCK_SIZE;

    private final ContentModel model;

    RepeatedByteContent(ContentModel model) {
        this.model = model;
    }

    @Override
    public void read(long pos, long stop, ByteBuf dst) {
        while (pos < stop) {
            int n = DataContent.inBlock(pos, stop);
            long blockStart = pos & -BLOCK_SIZE;
            dst.writeBytes(
                    SharedBlocks.repeated(model.repeatedByte(blockStart)),
                    (int) (pos - blockStart),
                    n);
            pos += n;
        }
    }

    @Override
    public boolean zeroCopy() {
        return true;
    }

    @Override
    public int share(long pos, long stop, ByteBuf[] parts, int count) {
        while (pos < stop) {
            int n = DataContent.inBlock(pos, stop);
            long blockStart = pos & -BLOCK_SIZE;
            ByteBuf shared = SharedBlocks.block(model.repeatedByte(blockStart));
            // A whole block is the shared buffer itself: no slice to allocate and unwrap again.
            parts[count++] = n == BLOCK_SIZE ? shared : shared.slice((int) (pos - blockStart), n);
            pos += n;
        }
        return count;
    }

    @Override
    public long mismatch(ByteBuffer view, long address, int at, long pos, long stop, long until) {
        long start = pos;
        while (pos < stop) {
            int n = DataContent.inBlock(pos, stop);
            int value = model.repeatedByte(pos & -BLOCK_SIZE);
            long i =
                    MemoryCompare.firstNotUniform(
                            view, address, at + (int) (pos - start), n, value);
            if (i >= 0) {
                return pos - start + i;
            }
            pos += n;
        }
        return -1;
    }

    @Override
    public String describe(long offset, long stop, String more) {
        return String.format(
                "0x%02x x%d%s", model.repeatedByte(offset & -BLOCK_SIZE), stop - offset, more);
    }
}
