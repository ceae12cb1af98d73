package io.sparserandom.client;

import java.io.IOException;

/**
 * The connection cannot be trusted any more: the server broke the protocol, closed the connection,
 * or a request timed out. Every pending request fails with this and the connection is closed.
 */
public class NbdProtocolException extends IOException {
    public NbdProtocolException(String message) {
        super(message);
    }

    public NbdProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
