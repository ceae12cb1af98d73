package io.sparserandom.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Injected errors show in every output and never count as rejected writes. */
class VerdictInjectedErrorsTest {
    private static Verdict verdict(Map<String, Long> injected) throws Exception {
        return Verdict.compute(
                        new StripedDisk(1 << 20), new CoverageLedger(), 1, false, Duration.ZERO)
                .withInjectedErrors(injected);
    }

    @Test
    void shownInSummaryJsonAndJunit() throws Exception {
        Map<String, Long> injected = new LinkedHashMap<>();
        injected.put("read", 3L);
        injected.put("write", 1L);
        Verdict v = verdict(injected);
        assertEquals(4, v.injectedTotal());
        assertTrue(v.noRejects(), "injected errors are not rejections");
        assertEquals(1, v.exitStatus(), "the tool's status still wins");
        assertTrue(
                VerdictWriter.summary(v).contains("injected errors:      4 (read 3, write 1)"),
                VerdictWriter.summary(v));
        assertTrue(
                VerdictWriter.json(v).contains("\"injected_errors\": {\"read\": 3, \"write\": 1},"),
                VerdictWriter.json(v));
        String junit = VerdictWriter.junit(v, "s");
        assertTrue(junit.contains("<property name=\"injected_errors.read\" value=\"3\"/>"), junit);
    }

    @Test
    void noneGivesAnEmptyObjectAndNoSummaryLine() throws Exception {
        Verdict v = verdict(Map.of());
        assertFalse(VerdictWriter.summary(v).contains("injected"));
        assertTrue(VerdictWriter.json(v).contains("\"injected_errors\": {},"));
        assertFalse(VerdictWriter.junit(v, "s").contains("properties"));
    }
}
