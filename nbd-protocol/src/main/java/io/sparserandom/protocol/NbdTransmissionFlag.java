package io.sparserandom.protocol;

/** Transmission flags (NBD_FLAG_*) sent with the export size, 16 bits on the wire. */
public final class NbdTransmissionFlag {
    private NbdTransmissionFlag() {}

    public static final int HAS_FLAGS = 1;
    public static final int READ_ONLY = 1 << 1;
    public static final int SEND_FLUSH = 1 << 2;
    public static final int SEND_FUA = 1 << 3;
    public static final int ROTATIONAL = 1 << 4;
    public static final int SEND_TRIM = 1 << 5;
    public static final int SEND_WRITE_ZEROES = 1 << 6;
    public static final int SEND_DF = 1 << 7;
    public static final int CAN_MULTI_CONN = 1 << 8;
    public static final int SEND_RESIZE = 1 << 9;
    public static final int SEND_CACHE = 1 << 10;
    public static final int SEND_FAST_ZERO = 1 << 11;

    /**
     * BLOCK_STATUS takes a payload naming the meta contexts to answer for; only ever sent with
     * extended headers.
     */
    public static final int BLOCK_STATUS_PAYLOAD = 1 << 12;
}
