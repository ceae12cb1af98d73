package io.sparserandom.server;

import io.sparserandom.protocol.NbdCommand;

/**
 * One connection's transmission phase as the client sees it: when a request starts to be handled
 * and when its reply has left for the socket. A device sees neither (it is called in between), yet
 * the spec's ordering rules are stated in these moments: a FLUSH covers the writes whose replies
 * were sent before it arrived. Called on the connection's event loop; every method does nothing by
 * default.
 */
public interface TransmissionObserver {
    /** A request is about to be handled (validated, then passed to the device). */
    default void requestArrived(NbdCommand command, long offset, long length) {}

    /**
     * The reply to a WRITE, WRITE_ZEROES, TRIM or FLUSH is being flushed to the socket: told just
     * before, so that a client that read it cannot have a request handled first on another
     * connection. Also told when the connection closed before it could be.
     *
     * @param ok whether the reply said success
     */
    default void replySent(NbdCommand command, long offset, long length, boolean ok) {}

    /** The connection closed; nothing more is reported. */
    default void closed() {}

    TransmissionObserver NONE = new TransmissionObserver() {};

    /** Opens the observer of a connection when its transmission phase starts. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param transmissionFlags NBD_FLAG_* as sent to the client (what it was promised)
         */
        TransmissionObserver open(ConnectionInfo connection, int transmissionFlags);

        Factory NONE = (c, flags) -> TransmissionObserver.NONE;
    }
}
