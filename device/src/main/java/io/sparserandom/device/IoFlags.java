package io.sparserandom.device;

/** The device layer's own flags; the server translates wire flags into these in one place. */
public final class IoFlags {
    private IoFlags() {}

    /** Force unit access: the write must be on stable storage before the call returns. */
    public static final int FUA = 1;

    /** zero: the range may be turned into a hole. */
    public static final int MAY_TRIM = 1 << 1;

    /** zero: fail with ENOTSUP instead of writing zeroes slowly. */
    public static final int FAST_ZERO = 1 << 2;

    /** extents: the caller wants only the first extent. */
    public static final int REQ_ONE = 1 << 3;

    /** Extent types. */
    public static final int EXTENT_DATA = 0;

    public static final int EXTENT_HOLE = 1;
    public static final int EXTENT_ZERO = 1 << 1;
}
