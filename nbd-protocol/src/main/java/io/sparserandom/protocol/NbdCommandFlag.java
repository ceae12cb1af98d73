package io.sparserandom.protocol;

/** Command flags (NBD_CMD_FLAG_*), 16 bits on the wire. */
public final class NbdCommandFlag {
    private NbdCommandFlag() {}

    public static final int FUA = 1;
    public static final int NO_HOLE = 1 << 1;
    public static final int DF = 1 << 2;
    public static final int REQ_ONE = 1 << 3;
    public static final int FAST_ZERO = 1 << 4;
    public static final int PAYLOAD_LEN = 1 << 5;

    /**
     * Every flag this implementation knows with compact headers (PAYLOAD_LEN is only valid with
     * extended headers).
     */
    public static final int KNOWN = FUA | NO_HOLE | DF | REQ_ONE | FAST_ZERO;

    /** Every flag this implementation knows with extended headers. */
    public static final int KNOWN_EXTENDED = KNOWN | PAYLOAD_LEN;
}
