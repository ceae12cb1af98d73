package io.sparserandom.protocol;

/** Structured reply chunk types (NBD_REPLY_TYPE_*); errors have bit 15 set. */
public enum NbdReplyType implements WireValue {
    NONE(0),
    OFFSET_DATA(1),
    OFFSET_HOLE(2),
    BLOCK_STATUS(5),
    BLOCK_STATUS_EXT(6),
    ERROR(0x8001),
    ERROR_OFFSET(0x8002);

    /** Chunk flag: this is the last chunk of the reply. */
    public static final int FLAG_DONE = 1;

    private final int value;

    NbdReplyType(int value) {
        this.value = value;
    }

    @Override
    public int wireValue() {
        return value;
    }

    public boolean isError() {
        return (value & 0x8000) != 0;
    }

    public static NbdReplyType of(int value) {
        return WireValue.find(NbdReplyType.class, value);
    }

    public static boolean isErrorType(int value) {
        return (value & 0x8000) != 0;
    }
}
