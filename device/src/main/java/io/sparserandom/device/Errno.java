package io.sparserandom.device;

/**
 * The errors a device may report, named as POSIX does. The device layer knows no wire values: the
 * server maps these to NBD error codes in one place, as nbdkit maps a plugin's errno.
 */
public enum Errno {
    /** Operation not permitted (a write to a read-only export). */
    EPERM,
    /** Input/output error: the general failure, and a rejected write. */
    EIO,
    /** Out of memory. */
    ENOMEM,
    /** Invalid argument (a request outside the limits). */
    EINVAL,
    /** No space left on the device. */
    ENOSPC,
    /** A value too large for its type (a block status or read beyond what can be answered). */
    EOVERFLOW,
    /** Not supported (for example FAST_ZERO that would be slow). */
    ENOTSUP,
    /** The server is shutting down. */
    ESHUTDOWN
}
