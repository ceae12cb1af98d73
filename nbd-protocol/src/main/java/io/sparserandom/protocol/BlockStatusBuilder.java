package io.sparserandom.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the descriptors of one BLOCK_STATUS chunk in order. A descriptor with the same flags as
 * the one before it extends that one instead of adding another, so a device that reports its map in
 * small pieces still costs one descriptor per run. A merged length never passes the 32-bit field:
 * past that a new descriptor starts.
 */
public final class BlockStatusBuilder {
    private final ArrayList<NbdReply.Descriptor> descriptors = new ArrayList<>();
    private long total;

    /**
     * Adds {@code length} bytes (in [1, 2^32)) with status {@code flags} after the ones added so
     * far.
     */
    public BlockStatusBuilder add(long length, int flags) {
        if (length <= 0 || length > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(
                    "descriptor length " + length + " is not in [1, 2^32)");
        }
        int last = descriptors.size() - 1;
        if (last >= 0) {
            NbdReply.Descriptor d = descriptors.get(last);
            if (d.flags() == flags && d.length() + length <= 0xFFFF_FFFFL) {
                descriptors.set(last, new NbdReply.Descriptor(d.length() + length, flags));
                total += length;
                return this;
            }
        }
        descriptors.add(new NbdReply.Descriptor(length, flags));
        total += length;
        return this;
    }

    /** Descriptors so far (after merging). */
    public int size() {
        return descriptors.size();
    }

    public boolean isEmpty() {
        return descriptors.isEmpty();
    }

    /** Bytes covered so far. */
    public long length() {
        return total;
    }

    public List<NbdReply.Descriptor> build() {
        return List.copyOf(descriptors);
    }
}
