package io.sparserandom.client;

import io.sparserandom.protocol.NbdErrno;
import java.io.IOException;

/**
 * The server answered a request with an error. Carries the errno, the server's message from a
 * structured error chunk (empty for simple replies) and, for ERROR_OFFSET, the offset it names.
 */
public class NbdException extends IOException {
    private final NbdErrno errno;
    private final String serverMessage;
    private final long errorOffset;

    public NbdException(String request, NbdErrno errno, String serverMessage, long errorOffset) {
        super(
                request
                        + " failed: "
                        + errno
                        + (serverMessage == null || serverMessage.isEmpty()
                                ? ""
                                : ": " + serverMessage)
                        + (errorOffset >= 0 ? " (at offset " + errorOffset + ")" : ""));
        this.errno = errno;
        this.serverMessage = serverMessage == null ? "" : serverMessage;
        this.errorOffset = errorOffset;
    }

    public NbdErrno errno() {
        return errno;
    }

    /** The server's human-readable message, or "" when it sent none. */
    public String serverMessage() {
        return serverMessage;
    }

    /** Offset named by an ERROR_OFFSET chunk, or -1. */
    public long errorOffset() {
        return errorOffset;
    }
}
