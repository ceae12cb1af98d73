package io.sparserandom.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;

/**
 * One transmission request. {@code length} is unsigned on the wire (32 bits with compact headers,
 * 64 with extended ones) and kept as a long, so with extended headers a negative value means 2^63
 * or more. With compact headers only WRITE carries a {@code payload}; with extended headers any
 * request with {@link NbdCommandFlag#PAYLOAD_LEN} does, and {@code length} is then its size. A
 * WRITE whose payload was larger than the decoder's limit arrives with {@link #payloadDropped()}
 * true and no payload: its bytes were read and discarded so that the stream stays in sync, and the
 * server must answer it with an error.
 */
public final class NbdRequest extends AbstractReferenceCounted {
    private final int flags;
    private final int type;
    private final long cookie;
    private final long offset;
    private final long length;
    private final ByteBuf payload;
    private final boolean payloadDropped;

    private NbdRequest(
            int flags,
            int type,
            long cookie,
            long offset,
            long length,
            ByteBuf payload,
            boolean payloadDropped) {
        this.flags = flags;
        this.type = type;
        this.cookie = cookie;
        this.offset = offset;
        this.length = length;
        this.payload = payload;
        this.payloadDropped = payloadDropped;
    }

    /** A request without payload (every command but WRITE). */
    public static NbdRequest of(
            NbdCommand command, int flags, long cookie, long offset, long length) {
        return new NbdRequest(flags, command.wireValue(), cookie, offset, length, null, false);
    }

    /** A WRITE; takes ownership of {@code payload} (its readable bytes are the data). */
    public static NbdRequest write(int flags, long cookie, long offset, ByteBuf payload) {
        return new NbdRequest(
                flags,
                NbdCommand.WRITE.wireValue(),
                cookie,
                offset,
                payload.readableBytes(),
                payload,
                false);
    }

    /**
     * A request of any command with a payload, as extended headers allow (the BLOCK_STATUS payload
     * form, or a misuse a server must survive); takes ownership of {@code payload}. The encoder
     * sets {@link NbdCommandFlag#PAYLOAD_LEN} for it.
     */
    public static NbdRequest withPayload(
            NbdCommand command, int flags, long cookie, long offset, ByteBuf payload) {
        return new NbdRequest(
                flags,
                command.wireValue(),
                cookie,
                offset,
                payload.readableBytes(),
                payload,
                false);
    }

    /** As decoded from the wire: the type may be unknown to us. */
    static NbdRequest decoded(
            int flags,
            int type,
            long cookie,
            long offset,
            long length,
            ByteBuf payload,
            boolean payloadDropped) {
        return new NbdRequest(flags, type, cookie, offset, length, payload, payloadDropped);
    }

    public int flags() {
        return flags;
    }

    /** The raw command type as sent. */
    public int type() {
        return type;
    }

    /** The command, or null when the type is not one we know. */
    public NbdCommand command() {
        return NbdCommand.of(type);
    }

    public long cookie() {
        return cookie;
    }

    /** Offset as sent (unsigned 64-bit: negative values mean beyond 2^63). */
    public long offset() {
        return offset;
    }

    /** Length as sent: unsigned, 32 bits (compact) or 64 bits (extended). */
    public long length() {
        return length;
    }

    /** The WRITE payload, or null. Owned by this request. */
    public ByteBuf payload() {
        return payload;
    }

    public boolean payloadDropped() {
        return payloadDropped;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    @Override
    protected void deallocate() {
        if (payload != null) {
            payload.release();
        }
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        if (payload != null) {
            payload.touch(hint);
        }
        return this;
    }

    @Override
    public String toString() {
        return NbdCommand.name(type)
                + "{cookie="
                + cookie
                + ", offset="
                + Long.toUnsignedString(offset)
                + ", length="
                + Long.toUnsignedString(length)
                + ", flags=0x"
                + Integer.toHexString(flags)
                + (payloadDropped ? ", payload dropped" : "")
                + "}";
    }
}
