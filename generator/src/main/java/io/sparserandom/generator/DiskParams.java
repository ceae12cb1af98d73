package io.sparserandom.generator;

/**
 * What a sparse-random disk looks like. An immutable value, validated once here.
 *
 * @param size size in bytes, 1..Long.MAX_VALUE; the last 4 KiB block may be partial
 * @param seed unsigned 32-bit seed, 0..0xffffffff
 * @param percent share of data blocks, 0..100 (a real number)
 * @param runlength mean length of a data run in bytes, at least 1
 * @param randomContent every byte of a data block random (otherwise one repeated byte per block)
 * @param model which layout and content generator to use
 * @param shape a learned shape the layout follows instead of percent and runlength, or null
 */
public record DiskParams(
        long size,
        long seed,
        double percent,
        long runlength,
        boolean randomContent,
        Model model,
        Shape shape) {

    /** Default mean data run: 16 MiB, as nbdkit. */
    public static final long DEFAULT_RUNLENGTH = 16L << 20;

    /** Default share of data: 10 %, as nbdkit. */
    public static final double DEFAULT_PERCENT = 10;

    /** The generator behind the disk. */
    public enum Model {
        /** Memory-free, instant start at any size; statistically like nbdkit, not byte-equal. */
        DEFAULT,
        /**
         * compat=nbdkit: byte-for-byte nbdkit's sparse-random plugin (scans the chain at start).
         */
        NBDKIT
    }

    public DiskParams {
        if (size < 1) {
            throw new IllegalArgumentException(
                    "size must be 1.." + Long.MAX_VALUE + " bytes, got " + size);
        }
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed must be 0..4294967295, got " + seed);
        }
        if (Double.isNaN(percent) || percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be 0..100, got " + percent);
        }
        if (runlength < 1) {
            throw new IllegalArgumentException("runlength must be >= 1 byte, got " + runlength);
        }
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        if (shape != null && model != Model.DEFAULT) {
            throw new IllegalArgumentException("a shape cannot be combined with compat=nbdkit");
        }
    }

    /** A disk without a shape: the layout follows percent and runlength. */
    public DiskParams(
            long size,
            long seed,
            double percent,
            long runlength,
            boolean randomContent,
            Model model) {
        this(size, seed, percent, runlength, randomContent, model, null);
    }

    /** A disk shaped like {@code shape}, at {@code size} (scaled when it is not the shape's). */
    public static DiskParams shaped(long size, long seed, boolean randomContent, Shape shape) {
        return new DiskParams(
                size,
                seed,
                DEFAULT_PERCENT,
                DEFAULT_RUNLENGTH,
                randomContent,
                Model.DEFAULT,
                shape);
    }

    /**
     * nbdkit's defaults (percent 10, runlength 16M, repeated-byte content) with the given model.
     */
    public static DiskParams defaults(long size, long seed, Model model) {
        return new DiskParams(size, seed, DEFAULT_PERCENT, DEFAULT_RUNLENGTH, false, model);
    }
}
