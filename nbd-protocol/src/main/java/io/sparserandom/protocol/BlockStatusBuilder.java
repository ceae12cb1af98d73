package io.sparserandom.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the descriptors of one block status chunk in order. A descriptor with the same flags as
 * the one before it extends that one instead of adding another, so a device that reports its map in
 * small pieces still costs one descriptor per run. A merged length never passes the descriptor's
 * length field: 32 bits for BLOCK_STATUS ({@link #BlockStatusBuilder()}), 63 bits for
 * BLOCK_STATUS_EXT ({@link #extended()}, where one descriptor may cover the whole disk); past that
 * a new descriptor starts.
 */
public final class BlockStatusBuilder {
    private static final long MAX_COMPACT = 0xFFFF_FFFFL;

    private record Run(long length, int flags) {}

    private final long maxLength;
    private final ArrayList<Run> runs = new ArrayList<>();
    private long total;

    /** For NBD_REPLY_TYPE_BLOCK_STATUS: descriptors of at most 2^32-1 bytes. */
    public BlockStatusBuilder() {
        this(MAX_COMPACT);
    }

    private BlockStatusBuilder(long maxLength) {
        this.maxLength = maxLength;
    }

    /** For NBD_REPLY_TYPE_BLOCK_STATUS_EXT: descriptors of up to 2^63-1 bytes. */
    public static BlockStatusBuilder extended() {
        return new BlockStatusBuilder(Long.MAX_VALUE);
    }

    /**
     * Adds {@code length} bytes (in [1, 2^32) or, extended, [1, 2^63)) with status {@code flags}
     * after the ones added so far.
     */
    public BlockStatusBuilder add(long length, int flags) {
        if (length <= 0 || length > maxLength) {
            throw new IllegalArgumentException(
                    "descriptor length " + length + " is not in [1, " + maxLength + "]");
        }
        int last = runs.size() - 1;
        if (last >= 0) {
            Run d = runs.get(last);
            if (d.flags() == flags && length <= maxLength - d.length()) {
                runs.set(last, new Run(d.length() + length, flags));
                total += length;
                return this;
            }
        }
        runs.add(new Run(length, flags));
        total += length;
        return this;
    }

    /** Descriptors so far (after merging). */
    public int size() {
        return runs.size();
    }

    public boolean isEmpty() {
        return runs.isEmpty();
    }

    /** Bytes covered so far. */
    public long length() {
        return total;
    }

    /** The descriptors of a BLOCK_STATUS chunk (needs the 32-bit builder). */
    public List<NbdReply.Descriptor> build() {
        if (maxLength != MAX_COMPACT) {
            throw new IllegalStateException("an extended builder makes BLOCK_STATUS_EXT chunks");
        }
        return runs.stream().map(r -> new NbdReply.Descriptor(r.length(), r.flags())).toList();
    }

    /** The descriptors of a BLOCK_STATUS_EXT chunk (status in the low 32 bits, as base: has). */
    public List<NbdReply.ExtDescriptor> buildExt() {
        return runs.stream()
                .map(r -> new NbdReply.ExtDescriptor(r.length(), Integer.toUnsignedLong(r.flags())))
                .toList();
    }
}
