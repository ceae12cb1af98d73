package io.sparserandom.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.gate.Scenario.Kind;
import org.junit.jupiter.api.Test;

class JudgementTest {
    private static VerdictFacts clean(int status) {
        return new VerdictFacts(status, true, 0, 0, -1, 0, -1, null, true, 0L, 3L);
    }

    private static VerdictFacts missing(int status) {
        return new VerdictFacts(status, false, 8192, 2, 0x10000, 0, -1, null, true, 0L, 3L);
    }

    private static VerdictFacts rejected(int status) {
        return new VerdictFacts(status, true, 0, 0, -1, 4, 0x1f4000, "WRITE", true, 0L, 0L);
    }

    private static VerdictFacts undurable() {
        return new VerdictFacts(0, true, 0, 0, -1, 0, -1, null, false, 65536L, null);
    }

    @Test
    void cleanCopyPassesEitherClass() {
        assertEquals(Outcome.PASS, Judgement.of(Kind.BENIGN, clean(0), false).outcome());
        Judgement h = Judgement.of(Kind.HOSTILE, clean(0), false);
        assertEquals(Outcome.PASS, h.outcome());
        assertTrue(h.why().contains("3 error(s) injected"), h.why());
    }

    @Test
    void exitZeroWithMissingDataIsSilentLossAndSaysWhere() {
        for (Kind k : Kind.values()) {
            Judgement j = Judgement.of(k, missing(0), false);
            assertEquals(Outcome.SILENT_LOSS, j.outcome());
            assertFalse(j.outcome().passed());
            assertTrue(j.why().contains("SILENT DATA LOSS"), j.why());
            assertTrue(j.why().contains("8192 data bytes in 2 range(s)"), j.why());
            assertTrue(j.why().contains("0x10000"), j.why());
        }
    }

    @Test
    void exitZeroWithRejectedWritesIsSilentLossWithTheFirstOffset() {
        Judgement j = Judgement.of(Kind.HOSTILE, rejected(0), false);
        assertEquals(Outcome.SILENT_LOSS, j.outcome());
        assertTrue(
                j.why().contains("4 request(s) rejected, first WRITE at offset 0x1f4000"), j.why());
    }

    @Test
    void nonZeroExitIsLoudForHostileAndBrokeForBenign() {
        Judgement loud = Judgement.of(Kind.HOSTILE, missing(1), false);
        assertEquals(Outcome.FAILED_LOUDLY, loud.outcome());
        assertTrue(loud.outcome().passed());
        assertTrue(loud.why().startsWith("tool exited 1"), loud.why());
        Judgement broke = Judgement.of(Kind.BENIGN, missing(1), false);
        assertEquals(Outcome.BROKE, broke.outcome());
        assertFalse(broke.outcome().passed());
        assertTrue(broke.why().contains("tool exited 1; 8192 data bytes"), broke.why());
        // Non-zero with a complete copy is still broke under a benign scenario.
        assertEquals(Outcome.BROKE, Judgement.of(Kind.BENIGN, clean(2), false).outcome());
    }

    @Test
    void durabilityCountsOnlyWhenRequired() {
        assertEquals(Outcome.PASS, Judgement.of(Kind.BENIGN, undurable(), false).outcome());
        Judgement j = Judgement.of(Kind.BENIGN, undurable(), true);
        assertEquals(Outcome.NOT_DURABLE, j.outcome());
        assertTrue(
                j.why().contains("65536 bytes written, zeroed or trimmed were never made durable"),
                j.why());
        assertEquals(Outcome.PASS, Judgement.of(Kind.BENIGN, clean(0), true).outcome());
        // A verdict without the field cannot prove durability.
        VerdictFacts unknown = new VerdictFacts(0, true, 0, 0, -1, 0, -1, null, null, null, null);
        assertEquals(Outcome.NOT_DURABLE, Judgement.of(Kind.BENIGN, unknown, true).outcome());
        // Data loss is worse than not being durable, and says so.
        assertEquals(Outcome.SILENT_LOSS, Judgement.of(Kind.BENIGN, missing(0), true).outcome());
    }

    @Test
    void hostileWithNothingInjectedSaysSo() {
        VerdictFacts none = new VerdictFacts(0, true, 0, 0, -1, 0, -1, null, true, 0L, 0L);
        Judgement j = Judgement.of(Kind.HOSTILE, none, false);
        assertEquals(Outcome.PASS, j.outcome());
        assertTrue(j.why().contains("0 errors injected"), j.why());
    }

    @Test
    void hungAndErrorFail() {
        assertEquals(Outcome.HUNG, Judgement.hung(300.2).outcome());
        assertTrue(Judgement.hung(300.2).why().contains("300 s"));
        Judgement e = Judgement.error(2, "sparse-random: Unknown option: '--x'\n");
        assertEquals(Outcome.ERROR, e.outcome());
        assertFalse(e.outcome().passed());
        assertTrue(e.why().contains("exited 2: sparse-random: Unknown option"), e.why());
    }
}
