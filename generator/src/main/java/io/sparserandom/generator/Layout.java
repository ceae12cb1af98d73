package io.sparserandom.generator;

/**
 * Which 4 KiB blocks of the disk are data, as runs. Block numbers run 0..blocks()-1; neighbouring
 * runs differ in type (hole, data, or for shapes allocated zero). Implementations are thread-safe.
 *
 * <p>The extension point for new disk shapes: a layout is one class implementing this, plus its
 * line in {@link SparseRandomDisk#create}. The disk only walks runs through {@link RunCursor}, so a
 * block state beyond data and hole would change this interface, the cursor and the places that ask
 * {@code data()}, nothing else.
 */
interface Layout {
    /** Number of blocks, the last one possibly partial. */
    long blocks();

    boolean isData(long block);

    /**
     * Whether a block that is not data is allocated zero (reads as zeroes, reported ZERO without
     * HOLE) rather than a hole. Only learned shapes have such blocks; runs of the two kinds are
     * separate runs.
     */
    default boolean isAllocatedZero(long block) {
        return false;
    }

    /**
     * The end (exclusive block number) of the run that contains {@code block}. The answer is the
     * true end when it is below {@code limit}; otherwise it is some block at or after {@code limit}
     * that the run certainly reaches (implementations bound their work by it). Never more than
     * {@link #blocks()}.
     */
    long runEnd(long block, long limit);

    /** How far past a request an extents walk may look to report the last run whole. */
    long lookaheadBlocks();

    /** Every block a hole (percent 0) or every block data (percent 100): no generator needed. */
    record Uniform(long blocks, boolean data) implements Layout {
        @Override
        public boolean isData(long block) {
            return data;
        }

        @Override
        public long runEnd(long block, long limit) {
            return blocks;
        }

        @Override
        public long lookaheadBlocks() {
            return blocks;
        }
    }
}
