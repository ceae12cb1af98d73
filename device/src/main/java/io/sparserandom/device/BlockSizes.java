package io.sparserandom.device;

/**
 * Block size constraints as the NBD spec defines them ("Block size constraints"), advertised in
 * {@code NBD_INFO_BLOCK_SIZE}: requests must be aligned to {@code minimum} in offset and length,
 * should use multiples of {@code preferred}, and a read or write must not carry more than {@code
 * maximum} bytes. The constructor enforces the spec's rules on the values, and our own ceiling of
 * {@link #MAX_PAYLOAD} on the maximum (the server reads no larger payload).
 */
public record BlockSizes(int minimum, int preferred, int maximum) {
    /** The largest read or write the server handles (32 MiB, the spec's safe payload size). */
    public static final int MAX_PAYLOAD = 32 * 1024 * 1024;

    /** What the server advertises when nothing is asked: 1, 4 KiB, 32 MiB. */
    public static final BlockSizes DEFAULT = new BlockSizes(1, 4096, MAX_PAYLOAD);

    public BlockSizes {
        if (minimum < 1 || Integer.bitCount(minimum) != 1 || minimum > 65536) {
            throw new IllegalArgumentException(
                    "minimum block size " + minimum + " is not a power of two from 1 to 64K");
        }
        if (Integer.bitCount(preferred) != 1 || preferred < Math.max(minimum, 512)) {
            throw new IllegalArgumentException(
                    "preferred block size "
                            + preferred
                            + " is not a power of two of at least 512 and the minimum");
        }
        if (maximum < preferred || maximum > MAX_PAYLOAD) {
            throw new IllegalArgumentException(
                    "maximum block size " + maximum + " is not between the preferred size and 32M");
        }
    }

    /**
     * Why a request breaks these constraints, or null when it keeps them. A request ending exactly
     * at the end of the disk may have an unaligned length (else a disk whose size is not a multiple
     * of the minimum would have an unreachable tail). Only reads and writes are bound by the
     * maximum: the spec lets trim, zero and block status ask for more.
     */
    public String violation(long offset, long length, long diskSize, boolean payload) {
        if (minimum > 1) {
            if ((offset & (minimum - 1)) != 0) {
                return "offset "
                        + offset
                        + " is not a multiple of the minimum block size "
                        + minimum;
            }
            if ((length & (minimum - 1)) != 0 && offset + length != diskSize) {
                return "length "
                        + length
                        + " is not a multiple of the minimum block size "
                        + minimum;
            }
        }
        if (payload && length > maximum) {
            return "length " + length + " is larger than the maximum block size " + maximum;
        }
        return null;
    }

    /** The option form, {@code MIN:PREFERRED:MAX} in bytes. */
    @Override
    public String toString() {
        return minimum + ":" + preferred + ":" + maximum;
    }
}
