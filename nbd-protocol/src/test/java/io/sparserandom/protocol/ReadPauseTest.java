package io.sparserandom.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class ReadPauseTest {
    @Test
    void readingResumesOnlyWhenNoReasonHoldsIt() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ReadPause.PAYLOAD.pause(ch);
        ReadPause.FAULTS.pause(ch);
        ReadPause.FAULTS.resume(ch);
        assertFalse(ch.config().isAutoRead(), "the payload budget still holds reading");
        assertTrue(ReadPause.PAYLOAD.holds(ch));
        assertFalse(ReadPause.FAULTS.holds(ch));
        ReadPause.REPLIES.pause(ch);
        ReadPause.PAYLOAD.resume(ch);
        assertFalse(ch.config().isAutoRead(), "unsent replies still hold reading");
        ReadPause.REPLIES.resume(ch);
        assertTrue(ch.config().isAutoRead());
        ch.finishAndReleaseAll();
    }

    @Test
    void resumingAReasonThatNeverPausedLeavesOthersAlone() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ReadPause.REPLIES.pause(ch);
        ReadPause.FAULTS.resume(ch);
        assertFalse(ch.config().isAutoRead());
        ch.finishAndReleaseAll();
    }
}
