package io.sparserandom.protocol;

/** Transmission request types (NBD_CMD_*). */
public enum NbdCommand implements WireValue {
    READ(0),
    WRITE(1),
    DISC(2),
    FLUSH(3),
    TRIM(4),
    CACHE(5),
    WRITE_ZEROES(6),
    BLOCK_STATUS(7),
    RESIZE(8);

    private static final NbdCommand[] BY_VALUE = new NbdCommand[9];

    static {
        for (NbdCommand c : values()) {
            BY_VALUE[c.value] = c;
        }
    }

    private final int value;

    NbdCommand(int value) {
        this.value = value;
    }

    @Override
    public int wireValue() {
        return value;
    }

    /** Only WRITE carries a payload after the header; every other length is a range, not bytes. */
    public boolean hasPayload() {
        return this == WRITE;
    }

    /** The command with this wire value, or null when unknown. */
    public static NbdCommand of(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }

    public static String name(int value) {
        NbdCommand c = of(value);
        return c == null ? "NBD_CMD_" + value : "NBD_CMD_" + c.name();
    }
}
