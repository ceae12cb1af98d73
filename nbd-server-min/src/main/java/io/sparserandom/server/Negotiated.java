package io.sparserandom.server;

import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.Capabilities;
import io.sparserandom.protocol.NbdHeaders;

/**
 * The result of the handshake, handed to the transmission phase as one immutable value.
 *
 * @param connection who, and which export
 * @param device the connection's device
 * @param size export size in bytes
 * @param transmissionFlags NBD_FLAG_* as sent to the client
 * @param structuredReplies whether replies are chunks: structured replies or extended headers were
 *     negotiated
 * @param metaContextId id of base:allocation, or -1 when no meta context was selected
 * @param headers compact, or the 32-byte extended headers (then every reply is an extended chunk)
 */
record Negotiated(
        ConnectionInfo connection,
        BlockDevice device,
        long size,
        int transmissionFlags,
        boolean structuredReplies,
        int metaContextId,
        Capabilities capabilities,
        NbdHeaders headers) {

    boolean hasFlag(int flag) {
        return (transmissionFlags & flag) != 0;
    }

    boolean extendedHeaders() {
        return headers == NbdHeaders.EXTENDED;
    }

    boolean hasMetaContext() {
        return metaContextId >= 0;
    }
}
