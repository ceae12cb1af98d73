package io.sparserandom.server;

import io.netty.buffer.ByteBuf;
import java.util.HashSet;
import java.util.Set;

/**
 * The payload form of NBD_CMD_BLOCK_STATUS (extended headers, NBD_FLAG_BLOCK_STATUS_PAYLOAD): a
 * 64-bit effect length, then the meta context ids the client wants answers for. The payload was
 * read whole by the decoder; anything wrong with it is an EINVAL for this request only.
 *
 * @param effectLength the range of interest, unsigned 64-bit
 * @param problem why the payload is refused, or null
 */
record BlockStatusPayload(long effectLength, String problem) {

    /** Parses {@code payload} against the one context this connection selected. */
    static BlockStatusPayload parse(ByteBuf payload, int selectedContextId) {
        int size = payload.readableBytes();
        if (size < 8 + 4 || (size - 8) % 4 != 0) {
            return refused("block status payload of " + size + " bytes is not 8 + n*4, n >= 1");
        }
        int at = payload.readerIndex();
        long effectLength = payload.getLong(at);
        Set<Integer> seen = new HashSet<>();
        for (int i = at + 8; i < at + size; i += 4) {
            int id = payload.getInt(i);
            if (id != selectedContextId) {
                return refused("unknown meta context id " + Integer.toUnsignedString(id));
            }
            if (!seen.add(id)) {
                return refused("meta context id " + Integer.toUnsignedString(id) + " repeated");
            }
        }
        return new BlockStatusPayload(effectLength, null);
    }

    private static BlockStatusPayload refused(String why) {
        return new BlockStatusPayload(0, why);
    }
}
