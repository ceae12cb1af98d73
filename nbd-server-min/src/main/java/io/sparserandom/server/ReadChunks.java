package io.sparserandom.server;

import java.util.ArrayList;
import java.util.List;

/**
 * How one structured READ is cut: the request's range along the device's extents, holes apart from
 * data, neighbours of the same kind merged. A reply of many tiny chunks costs more than it saves,
 * so past {@code maxChunks} the last chunk becomes data and takes in everything after it; so does
 * whatever the device left unreported.
 */
final class ReadChunks {
    /** [offset, offset + length) of the request, sent as a hole (no bytes) or as data. */
    record Chunk(long offset, long length, boolean hole) {}

    private final long end;
    private final int maxChunks;
    private final ArrayList<Chunk> chunks;
    private long pos;

    ReadChunks(long offset, long length, int maxChunks) {
        this.pos = offset;
        this.end = offset + length;
        this.maxChunks = maxChunks;
        this.chunks = new ArrayList<>(Math.min(maxChunks, 16));
    }

    /** The next extent of the device, clipped to the request; false once the request is covered. */
    boolean add(long length, boolean hole) {
        long take = Math.min(length, end - pos);
        if (take <= 0) {
            return false;
        }
        int last = chunks.size() - 1;
        if (last >= 0 && chunks.get(last).hole() == hole) {
            extendLast(take, hole);
        } else if (chunks.size() == maxChunks) {
            extendLast(take, false); // too fragmented: the rest goes as data
        } else {
            chunks.add(new Chunk(pos, take, hole));
        }
        pos += take;
        return pos < end;
    }

    /**
     * The chunks covering the whole request, or an empty list when the device reported nothing (the
     * caller then sends the read as one piece of data).
     */
    List<Chunk> finish() {
        if (pos < end && !chunks.isEmpty()) {
            extendLast(end - pos, false);
            pos = end;
        }
        return chunks;
    }

    private void extendLast(long more, boolean hole) {
        int last = chunks.size() - 1;
        Chunk c = chunks.get(last);
        chunks.set(last, new Chunk(c.offset(), c.length() + more, hole));
    }
}
