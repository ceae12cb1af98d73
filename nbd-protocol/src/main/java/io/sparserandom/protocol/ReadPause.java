package io.sparserandom.protocol;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Why a channel has stopped reading. Several handlers pause reading for their own reasons (replies
 * piling up unsent, a write payload past the shared budget); reading resumes only when none of them
 * holds it, so that one handler resuming cannot undo another's pause. Event loop only.
 */
public enum ReadPause {
    /** Replies are queued past the write buffer's high-water mark. */
    REPLIES,
    /**
     * The connection's incomplete write payload is waiting for room in the {@link PayloadBudget}.
     */
    PAYLOAD,
    /** Requests held back by {@code --delay} or {@code --rate} are past their bound. */
    FAULTS;

    private static final AttributeKey<Integer> HELD = AttributeKey.valueOf(ReadPause.class, "held");

    /** Stops reading for this reason. */
    public void pause(Channel ch) {
        Integer held = ch.attr(HELD).get();
        ch.attr(HELD).set((held == null ? 0 : held) | bit());
        ch.config().setAutoRead(false);
    }

    /** Drops this reason; reading resumes when no other reason holds it. */
    public void resume(Channel ch) {
        Integer held = ch.attr(HELD).get();
        int left = (held == null ? 0 : held) & ~bit();
        ch.attr(HELD).set(left);
        if (left == 0) {
            ch.config().setAutoRead(true);
        }
    }

    /** Whether this reason currently holds reading. */
    public boolean holds(Channel ch) {
        Integer held = ch.attr(HELD).get();
        return held != null && (held & bit()) != 0;
    }

    private int bit() {
        return 1 << ordinal();
    }
}
