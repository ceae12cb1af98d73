package io.sparserandom.protocol;

/** Information types of NBD_OPT_INFO / NBD_OPT_GO (NBD_INFO_*). */
public enum NbdInfo implements WireValue {
    EXPORT(0),
    NAME(1),
    DESCRIPTION(2),
    BLOCK_SIZE(3);

    private final int value;

    NbdInfo(int value) {
        this.value = value;
    }

    @Override
    public int wireValue() {
        return value;
    }

    public static NbdInfo of(int value) {
        return WireValue.find(NbdInfo.class, value);
    }
}
