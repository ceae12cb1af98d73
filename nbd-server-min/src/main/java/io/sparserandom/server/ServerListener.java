package io.sparserandom.server;

import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdErrno;

/**
 * Events for metrics and logs. Called on event-loop threads: implementations must be cheap and
 * thread-safe. Every method does nothing by default.
 */
public interface ServerListener {
    default void connectionOpened(ConnectionInfo c) {}

    default void connectionClosed(ConnectionInfo c) {}

    /** A transmission request arrived (valid or not); {@code command} is null when unknown. */
    default void requestStarted(ConnectionInfo c, NbdCommand command, long offset, long length) {}

    /** Its reply was queued. */
    default void requestFinished(ConnectionInfo c, NbdCommand command) {}

    /** The request was answered with an error. */
    default void requestFailed(
            ConnectionInfo c,
            NbdCommand command,
            long offset,
            long length,
            NbdErrno errno,
            String message) {}

    ServerListener NONE = new ServerListener() {};
}
