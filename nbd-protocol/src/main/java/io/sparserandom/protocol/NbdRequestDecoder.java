package io.sparserandom.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Server side: bytes to {@link NbdRequest}s. A small state machine: HEADER -> PAYLOAD (WRITE within
 * the limit) or DISCARD (WRITE over the limit) -> HEADER, and BAD once the stream can no longer be
 * trusted (bad magic): it then emits one {@link NbdDecodeFailure} and drops all further input.
 */
public final class NbdRequestDecoder extends ByteToMessageDecoder {
    private enum State {
        HEADER,
        PAYLOAD,
        DISCARD,
        BAD
    }

    private final int maxPayload;
    private State state = State.HEADER;
    private int flags;
    private int type;
    private long cookie;
    private long offset;
    private long length;
    private long toDiscard;

    public NbdRequestDecoder() {
        this(NbdMagic.MAX_PAYLOAD);
    }

    public NbdRequestDecoder(int maxPayload) {
        this.maxPayload = maxPayload;
        // A write payload usually spans several socket reads: keep those reads as the parts of a
        // composite instead of copying each into one growing buffer. The payload handed on is then
        // a slice over the reads themselves. Small reads are merged (a trickle must not hold a
        // read buffer per byte).
        setCumulator(CompactingCumulator.INSTANCE);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            switch (state) {
                case HEADER -> {
                    if (in.readableBytes() < NbdMagic.REQUEST_HEADER_SIZE) {
                        return;
                    }
                    int magic = in.readInt();
                    if (magic != NbdMagic.REQUEST_MAGIC) {
                        state = State.BAD;
                        in.skipBytes(in.readableBytes());
                        out.add(
                                new NbdDecodeFailure(
                                        "bad request magic 0x" + Integer.toHexString(magic)));
                        return;
                    }
                    flags = in.readUnsignedShort();
                    type = in.readUnsignedShort();
                    cookie = in.readLong();
                    offset = in.readLong();
                    length = in.readUnsignedInt();
                    if (type != NbdCommand.WRITE.wireValue()) {
                        out.add(
                                NbdRequest.decoded(
                                        flags, type, cookie, offset, length, null, false));
                    } else if (length > maxPayload) {
                        // Read and drop the payload so the next header is found where it should be.
                        toDiscard = length;
                        state = State.DISCARD;
                        out.add(
                                NbdRequest.decoded(
                                        flags, type, cookie, offset, length, null, true));
                    } else {
                        state = State.PAYLOAD;
                    }
                }
                case PAYLOAD -> {
                    if (in.readableBytes() < length) {
                        return;
                    }
                    ByteBuf payload = in.readRetainedSlice((int) length);
                    state = State.HEADER;
                    out.add(
                            NbdRequest.decoded(
                                    flags, type, cookie, offset, length, payload, false));
                }
                case DISCARD -> {
                    int n = (int) Math.min(in.readableBytes(), toDiscard);
                    in.skipBytes(n);
                    toDiscard -= n;
                    if (toDiscard > 0) {
                        return;
                    }
                    state = State.HEADER;
                }
                case BAD -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                default -> throw new IllegalStateException(state.toString());
            }
        }
    }
}
