package io.sparserandom.device;

/**
 * A device operation failed. Carries the errno the client will see and, optionally, the offset the
 * error concerns (sent as NBD_REPLY_TYPE_ERROR_OFFSET when structured replies are on).
 */
public class DeviceException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Value of {@link #offset()} when the error is not about one offset. */
    public static final long NO_OFFSET = -1;

    private final Errno errno;
    private final long offset;

    public DeviceException(Errno errno, String message) {
        this(errno, message, NO_OFFSET);
    }

    public DeviceException(Errno errno, String message, long offset) {
        super(message, null, false, false);
        this.errno = errno;
        this.offset = offset;
    }

    public Errno errno() {
        return errno;
    }

    /** The offset the error is about, or {@link #NO_OFFSET}. */
    public long offset() {
        return offset;
    }

    public boolean hasOffset() {
        return offset >= 0;
    }
}
