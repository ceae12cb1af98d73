package io.sparserandom.client;

import io.netty.buffer.ByteBuf;

/**
 * A decoded transmission-phase reply: either a whole simple reply or one structured chunk. {@code
 * payload} (possibly null) is owned by the receiver, who must release it.
 */
sealed interface NbdReply permits NbdReply.Simple, NbdReply.Chunk {
    long cookie();

    ByteBuf payload();

    default void release() {
        if (payload() != null) {
            payload().release();
        }
    }

    /**
     * Simple reply; {@code payload} holds the read data when error is 0 and the request was a READ.
     */
    record Simple(long cookie, int error, ByteBuf payload) implements NbdReply {}

    /** Structured reply chunk; type is the raw wire value (may be unknown to us). */
    record Chunk(long cookie, int flags, int type, ByteBuf payload) implements NbdReply {
        public boolean done() {
            return (flags & io.sparserandom.protocol.NbdReplyType.FLAG_DONE) != 0;
        }
    }
}
