package io.sparserandom.generator;

/**
 * A walk over the layout's runs that cover the bytes {@code [from, end)}, one run per {@link
 * #next}, clipped to the walk. The one place where block runs become byte ranges (the last block of
 * the disk may be partial). Cheap to make: one per request, never shared.
 */
final class RunCursor {
    private final Layout layout;
    private final long size;
    private final long end;
    private final long limit;
    private long start;
    private long stop;
    private long runEnd;
    private boolean data;
    private boolean allocatedZero;

    /**
     * @param limit block number passed to {@link Layout#runEnd}: how far past {@code end} a run's
     *     true end is worth looking for ({@link #runEnd} is exact below it)
     */
    RunCursor(Layout layout, long size, long from, long end, long limit) {
        this.layout = layout;
        this.size = size;
        this.end = end;
        this.limit = limit;
        this.stop = from;
    }

    /** Moves to the next run; false when the walk has reached its end. */
    boolean next() {
        if (stop >= end) {
            return false;
        }
        start = stop;
        long block = start >>> SparseRandomDisk.BLOCK_SHIFT;
        data = layout.isData(block);
        allocatedZero = !data && layout.isAllocatedZero(block);
        long endBlock = layout.runEnd(block, limit);
        runEnd = endBlock >= layout.blocks() ? size : endBlock << SparseRandomDisk.BLOCK_SHIFT;
        stop = Math.min(end, runEnd);
        return true;
    }

    boolean data() {
        return data;
    }

    /** A run that reads as zeroes but is allocated (block status ZERO without HOLE). */
    boolean allocatedZero() {
        return allocatedZero;
    }

    /** First byte of the run inside the walk. */
    long start() {
        return start;
    }

    /** End of the run inside the walk: {@code min(end, runEnd())}. */
    long stop() {
        return stop;
    }

    /** {@code stop() - start()}. */
    long length() {
        return stop - start;
    }

    /** The run's own end, which may lie past the walk's end (see the constructor's limit). */
    long runEnd() {
        return runEnd;
    }
}
