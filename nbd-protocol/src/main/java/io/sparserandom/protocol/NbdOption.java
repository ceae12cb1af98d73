package io.sparserandom.protocol;

/** Option types of the newstyle handshake (NBD_OPT_*). */
public enum NbdOption implements WireValue {
    EXPORT_NAME(1),
    ABORT(2),
    LIST(3),
    PEEK_EXPORT(4),
    STARTTLS(5),
    INFO(6),
    GO(7),
    STRUCTURED_REPLY(8),
    LIST_META_CONTEXT(9),
    SET_META_CONTEXT(10),
    EXTENDED_HEADERS(11);

    private final int value;

    NbdOption(int value) {
        this.value = value;
    }

    @Override
    public int wireValue() {
        return value;
    }

    /** The option with this wire value, or null when unknown. */
    public static NbdOption of(int value) {
        return WireValue.find(NbdOption.class, value);
    }

    /** Name for logs, also for values we do not know. */
    public static String name(int value) {
        NbdOption o = of(value);
        return o == null ? "NBD_OPT_" + Integer.toUnsignedString(value) : "NBD_OPT_" + o.name();
    }
}
