package io.sparserandom.server;

import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.Capabilities;

/**
 * The result of the handshake, handed to the transmission phase as one immutable value.
 *
 * @param connection who, and which export
 * @param device the connection's device
 * @param size export size in bytes
 * @param transmissionFlags NBD_FLAG_* as sent to the client
 * @param structuredReplies whether structured replies were negotiated
 * @param metaContextId id of base:allocation, or -1 when no meta context was selected
 */
record Negotiated(
        ConnectionInfo connection,
        BlockDevice device,
        long size,
        int transmissionFlags,
        boolean structuredReplies,
        int metaContextId,
        Capabilities capabilities) {

    boolean hasFlag(int flag) {
        return (transmissionFlags & flag) != 0;
    }

    boolean hasMetaContext() {
        return metaContextId >= 0;
    }
}
