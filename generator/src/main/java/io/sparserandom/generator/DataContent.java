package io.sparserandom.generator;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * How a disk serves and checks the bytes of its data runs: {@link RepeatedByteContent} or {@link
 * RandomContent}, each over a {@link ContentModel}. Chosen once per disk, so the read and verify
 * loops never ask which. Every method gets a piece {@code [pos, stop)} of one data run (byte
 * offsets; it may start and end inside blocks) and walks it block by block. Implementations are
 * thread-safe.
 */
interface DataContent {
    static DataContent of(ContentModel model, boolean random) {
        return random ? new RandomContent(model) : new RepeatedByteContent(model);
    }

    /** Appends the bytes {@code [pos, stop)} to {@code dst}. */
    void read(long pos, long stop, ByteBuf dst);

    /** Whether {@link #share} works: the bytes exist already as shared read-only buffers. */
    boolean zeroCopy();

    /**
     * Stores buffers holding the bytes {@code [pos, stop)} in {@code parts} from index {@code
     * count} on (at most one per block touched); returns the new count. Only when {@link
     * #zeroCopy()}.
     */
    int share(long pos, long stop, ByteBuf[] parts, int count);

    /**
     * The first index {@code i} in {@code [0, stop - pos)} where {@code view[at + i]} differs from
     * the byte at {@code pos + i}, or -1. {@code address} is {@link MemoryCompare#addressOf} the
     * view. {@code until} (at least {@code stop}) is where the data the caller will ask about ends:
     * content that is generated may generate ahead up to there.
     */
    long mismatch(ByteBuffer view, long address, int at, long pos, long stop, long until);

    /** What the bytes {@code [offset, stop)} of one block should be, then {@code more}. */
    String describe(long offset, long stop, String more);

    /** Bytes from {@code pos} to the end of its block or {@code stop}, whichever is first. */
    static int inBlock(long pos, long stop) {
        return (int)
                Math.min(
                        SparseRandomDisk.BLOCK_SIZE - (pos & (SparseRandomDisk.BLOCK_SIZE - 1)),
                        stop - pos);
    }
}
