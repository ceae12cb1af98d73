package io.sparserandom.protocol;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Objects;

/**
 * One transmission-phase reply as the server means it: a simple reply, or one chunk of a structured
 * reply (nbd-proto.md, "Simple reply message" and "Structured reply chunk message types"). {@link
 * NbdReplyEncoder} turns it into bytes.
 *
 * <p>A reply that carries read data owns that buffer; writing the reply hands it to the encoder,
 * which sends it as it is (no copy) and so releases it. A reply that is never written must be
 * {@link #release() released}.
 */
public sealed interface NbdReply permits NbdReply.Simple, NbdReply.Chunk, NbdReply.Extended {
    /** Largest error message on the wire (the spec's string limit); longer ones are cut. */
    int MAX_MESSAGE = 4096;

    long cookie();

    /** The read data that follows the fixed fields, or null. */
    default ByteBuf payload() {
        return null;
    }

    /** Releases the payload, if any: for a reply that will not be written after all. */
    default void release() {
        ByteBuf p = payload();
        if (p != null) {
            p.release();
        }
    }

    /**
     * A simple reply: {@code error} is null on success; {@code data} is the data of a successful
     * READ (null for every other command, and for any error).
     */
    record Simple(long cookie, NbdErrno error, ByteBuf data) implements NbdReply {
        public Simple {
            if (error != null && data != null) {
                throw new IllegalArgumentException("an error reply carries no data");
            }
        }

        public static Simple ok(long cookie) {
            return new Simple(cookie, null, null);
        }

        public static Simple read(long cookie, ByteBuf data) {
            return new Simple(cookie, null, Objects.requireNonNull(data, "data"));
        }

        public static Simple error(long cookie, NbdErrno error) {
            return new Simple(cookie, Objects.requireNonNull(error, "error"), null);
        }

        @Override
        public ByteBuf payload() {
            return data;
        }
    }

    /** One chunk of a structured reply; {@code done} marks the last chunk of the reply. */
    sealed interface Chunk extends NbdReply
            permits None,
                    OffsetData,
                    OffsetHole,
                    BlockStatus,
                    BlockStatusExt,
                    ErrorChunk,
                    ErrorOffset {
        NbdReplyType type();

        boolean done();
    }

    /** Success with nothing to say; always the last chunk. */
    record None(long cookie) implements Chunk {
        @Override
        public NbdReplyType type() {
            return NbdReplyType.NONE;
        }

        @Override
        public boolean done() {
            return true;
        }
    }

    /** Read data for [offset, offset + data.readableBytes()). */
    record OffsetData(long cookie, boolean done, long offset, ByteBuf data) implements Chunk {
        public OffsetData {
            if (data.readableBytes() == 0) {
                throw new IllegalArgumentException("OFFSET_DATA with no data");
            }
        }

        @Override
        public NbdReplyType type() {
            return NbdReplyType.OFFSET_DATA;
        }

        @Override
        public ByteBuf payload() {
            return data;
        }
    }

    /** [offset, offset + length) reads as zeroes; length is unsigned 32-bit and not zero. */
    record OffsetHole(long cookie, boolean done, long offset, long length) implements Chunk {
        public OffsetHole {
            checkLength(length, "hole");
        }

        @Override
        public NbdReplyType type() {
            return NbdReplyType.OFFSET_HOLE;
        }
    }

    /**
     * The status of consecutive extents in one meta context. Build the descriptors with {@link
     * BlockStatusBuilder}, which merges neighbours of equal flags.
     */
    record BlockStatus(long cookie, boolean done, int contextId, List<Descriptor> descriptors)
            implements Chunk {
        public BlockStatus {
            descriptors = List.copyOf(descriptors);
            if (descriptors.isEmpty()) {
                throw new IllegalArgumentException("BLOCK_STATUS needs at least one descriptor");
            }
        }

        @Override
        public NbdReplyType type() {
            return NbdReplyType.BLOCK_STATUS;
        }
    }

    /**
     * One block status descriptor: {@code length} bytes (unsigned 32-bit, not zero) with these
     * status flags.
     */
    record Descriptor(long length, int flags) {
        public Descriptor {
            checkLength(length, "descriptor");
        }
    }

    /**
     * The status of consecutive extents in one meta context with 64-bit lengths and status
     * (NBD_REPLY_TYPE_BLOCK_STATUS_EXT): only ever sent as an {@link Extended} chunk.
     */
    record BlockStatusExt(long cookie, boolean done, int contextId, List<ExtDescriptor> descriptors)
            implements Chunk {
        public BlockStatusExt {
            descriptors = List.copyOf(descriptors);
            if (descriptors.isEmpty()) {
                throw new IllegalArgumentException(
                        "BLOCK_STATUS_EXT needs at least one descriptor");
            }
        }

        @Override
        public NbdReplyType type() {
            return NbdReplyType.BLOCK_STATUS_EXT;
        }
    }

    /**
     * One 64-bit block status descriptor: {@code length} bytes (unsigned, not zero; a negative
     * value means 2^63 or more) with these status flags.
     */
    record ExtDescriptor(long length, long flags) {
        public ExtDescriptor {
            if (length == 0) {
                throw new IllegalArgumentException("descriptor length 0");
            }
        }
    }

    /**
     * A chunk sent with the 32-byte extended reply header, which also carries the offset of the
     * request it answers (once extended headers are negotiated every reply is one of these).
     */
    record Extended(long requestOffset, Chunk chunk) implements NbdReply {
        public Extended {
            Objects.requireNonNull(chunk, "chunk");
        }

        @Override
        public long cookie() {
            return chunk.cookie();
        }

        @Override
        public ByteBuf payload() {
            return chunk.payload();
        }
    }

    /** The request failed; {@code message} (may be null) is for a human. */
    record ErrorChunk(long cookie, boolean done, NbdErrno error, String message) implements Chunk {
        public ErrorChunk {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public NbdReplyType type() {
            return NbdReplyType.ERROR;
        }
    }

    /** The request failed at {@code offset}, which lies inside the request. */
    record ErrorOffset(long cookie, boolean done, NbdErrno error, String message, long offset)
            implements Chunk {
        public ErrorOffset {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public NbdReplyType type() {
            return NbdReplyType.ERROR_OFFSET;
        }
    }

    private static void checkLength(long length, String what) {
        if (length <= 0 || length > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(what + " length " + length + " is not in [1, 2^32)");
        }
    }
}
