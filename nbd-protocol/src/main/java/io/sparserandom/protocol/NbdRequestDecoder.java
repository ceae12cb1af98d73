package io.sparserandom.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Server side: bytes to {@link NbdRequest}s. A small state machine: HEADER -> PAYLOAD (within the
 * limit) or DISCARD (compact WRITE over the limit) -> HEADER, and BAD once the stream can no longer
 * be trusted: it then emits one {@link NbdDecodeFailure} and drops all further input.
 *
 * <p>With {@link NbdHeaders#COMPACT} headers only WRITE has a payload. With {@link
 * NbdHeaders#EXTENDED} headers a request has a payload exactly when it sets {@link
 * NbdCommandFlag#PAYLOAD_LEN}, whatever its command: the payload is read so the stream stays framed
 * and the server decides whether the command may carry one. A payload over the limit is a hard
 * disconnect there, as the extension asks; without the flag the length is a 64-bit effect length.
 */
public final class NbdRequestDecoder extends ByteToMessageDecoder {
    private enum State {
        HEADER,
        PAYLOAD,
        DISCARD,
        BAD
    }

    private final int maxPayload;
    private final NbdHeaders headers;
    private State state = State.HEADER;
    private int flags;
    private int type;
    private long cookie;
    private long offset;
    private long length;
    private long toDiscard;
    private final PayloadBudget budget;

    /** Bytes of the incomplete payload drawn from the budget. */
    private long charged;

    public NbdRequestDecoder() {
        this(NbdMagic.MAX_PAYLOAD);
    }

    public NbdRequestDecoder(int maxPayload) {
        this(maxPayload, NbdHeaders.COMPACT);
    }

    public NbdRequestDecoder(int maxPayload, NbdHeaders headers) {
        this(maxPayload, headers, PayloadBudget.UNLIMITED);
    }

    /** Incomplete write payloads past the budget's per-connection allowance draw from it. */
    public NbdRequestDecoder(int maxPayload, NbdHeaders headers, PayloadBudget budget) {
        this.maxPayload = maxPayload;
        this.headers = headers;
        this.budget = budget;
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
                    if (in.readableBytes() < headers.requestHeaderSize()) {
                        return;
                    }
                    String failure =
                            headers == NbdHeaders.EXTENDED ? extendedHeader(in) : header(in);
                    if (failure != null) {
                        state = State.BAD;
                        in.skipBytes(in.readableBytes());
                        out.add(new NbdDecodeFailure(failure));
                        return;
                    }
                    if (state == State.HEADER) {
                        out.add(
                                NbdRequest.decoded(
                                        flags, type, cookie, offset, length, null, false));
                    } else if (state == State.DISCARD) {
                        out.add(
                                NbdRequest.decoded(
                                        flags, type, cookie, offset, length, null, true));
                    }
                }
                case PAYLOAD -> {
                    if (in.readableBytes() < length) {
                        charge(ctx, in.readableBytes());
                        return;
                    }
                    ByteBuf payload = in.readRetainedSlice((int) length);
                    state = State.HEADER;
                    // The payload goes on to be handled now: what it held is given back.
                    uncharge(ctx);
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

    /** The incomplete payload holds {@code held} bytes: charge what passes the allowance. */
    private void charge(ChannelHandlerContext ctx, long held) {
        long over = held - budget.free();
        if (over > charged) {
            budget.take(ctx.channel(), over - charged);
            charged = over;
        }
    }

    private void uncharge(ChannelHandlerContext ctx) {
        if (charged > 0 || ReadPause.PAYLOAD.holds(ctx.channel())) {
            budget.release(ctx.channel(), charged);
            charged = 0;
            if (ReadPause.PAYLOAD.holds(ctx.channel())) {
                ReadPause.PAYLOAD.resume(ctx.channel());
            }
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        uncharge(ctx);
    }

    /** Reads a 28-byte compact header and picks the next state; a message when it is bad. */
    private String header(ByteBuf in) {
        int magic = in.readInt();
        if (magic != NbdMagic.REQUEST_MAGIC) {
            return badMagic(magic);
        }
        flags = in.readUnsignedShort();
        type = in.readUnsignedShort();
        cookie = in.readLong();
        offset = in.readLong();
        length = in.readUnsignedInt();
        if (type != NbdCommand.WRITE.wireValue()) {
            state = State.HEADER;
        } else if (length > maxPayload) {
            // Read and drop the payload so the next header is found where it should be.
            toDiscard = length;
            state = State.DISCARD;
        } else {
            state = State.PAYLOAD;
        }
        return null;
    }

    /** Reads a 32-byte extended header and picks the next state; a message when it is bad. */
    private String extendedHeader(ByteBuf in) {
        int magic = in.readInt();
        if (magic != NbdMagic.EXTENDED_REQUEST_MAGIC) {
            return badMagic(magic);
        }
        flags = in.readUnsignedShort();
        type = in.readUnsignedShort();
        cookie = in.readLong();
        offset = in.readLong();
        length = in.readLong();
        if ((flags & NbdCommandFlag.PAYLOAD_LEN) == 0 || length == 0) {
            state = State.HEADER; // an effect length: nothing follows the header
        } else if (length < 0 || length > maxPayload) {
            return "payload of "
                    + Long.toUnsignedString(length)
                    + " bytes is larger than the maximum "
                    + maxPayload;
        } else {
            state = State.PAYLOAD;
        }
        return null;
    }

    private String badMagic(int magic) {
        return "bad request magic 0x"
                + Integer.toHexString(magic)
                + (headers == NbdHeaders.EXTENDED ? " (extended headers were negotiated)" : "");
    }
}
