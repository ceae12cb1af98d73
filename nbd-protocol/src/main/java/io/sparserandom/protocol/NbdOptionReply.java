package io.sparserandom.protocol;

/** Option reply types (NBD_REP_*); errors have bit 31 set. */
public enum NbdOptionReply implements WireValue {
    ACK(1),
    SERVER(2),
    INFO(3),
    META_CONTEXT(4),
    ERR_UNSUP(0x80000001),
    ERR_POLICY(0x80000002),
    ERR_INVALID(0x80000003),
    ERR_PLATFORM(0x80000004),
    ERR_TLS_REQD(0x80000005),
    ERR_UNKNOWN(0x80000006),
    ERR_SHUTDOWN(0x80000007),
    ERR_BLOCK_SIZE_REQD(0x80000008),
    ERR_TOO_BIG(0x80000009),
    ERR_EXT_HEADER_REQD(0x8000000a);

    private final int value;

    NbdOptionReply(int value) {
        this.value = value;
    }

    @Override
    public int wireValue() {
        return value;
    }

    public boolean isError() {
        return value < 0;
    }

    public static NbdOptionReply of(int value) {
        return WireValue.find(NbdOptionReply.class, value);
    }

    public static String name(int value) {
        NbdOptionReply r = of(value);
        return r == null ? "NBD_REP_0x" + Integer.toHexString(value) : "NBD_REP_" + r.name();
    }
}
