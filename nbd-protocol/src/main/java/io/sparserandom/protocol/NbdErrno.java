package io.sparserandom.protocol;

/**
 * Error values of the transmission phase. The wire values are the spec's (Linux errno numbers);
 * this is the one place that maps an error to its wire code.
 */
public enum NbdErrno implements WireValue {
    EPERM(1),
    EIO(5),
    ENOMEM(12),
    EINVAL(22),
    ENOSPC(28),
    EOVERFLOW(75),
    ENOTSUP(95),
    ESHUTDOWN(108);

    private final int value;

    NbdErrno(int value) {
        this.value = value;
    }

    @Override
    public int wireValue() {
        return value;
    }

    /**
     * The error for a wire value; unknown non-zero values read as EINVAL, as the spec asks clients
     * to.
     */
    public static NbdErrno of(int value) {
        NbdErrno e = WireValue.find(NbdErrno.class, value);
        return e == null ? EINVAL : e;
    }
}
