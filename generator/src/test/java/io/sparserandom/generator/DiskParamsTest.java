package io.sparserandom.generator;

import static io.sparserandom.generator.DiskParams.Model.DEFAULT;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DiskParamsTest {

    private static void rejects(String word, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(word), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    @Test
    void rejectsBadValuesNamingThem() {
        rejects("size", () -> new DiskParams(0, 1, 10, 4096, false, DEFAULT));
        rejects("size", () -> new DiskParams(-5, 1, 10, 4096, false, DEFAULT));
        rejects("seed", () -> new DiskParams(1, -1, 10, 4096, false, DEFAULT));
        rejects("seed", () -> new DiskParams(1, 0x100000000L, 10, 4096, false, DEFAULT));
        rejects("percent", () -> new DiskParams(1, 1, -0.1, 4096, false, DEFAULT));
        rejects("percent", () -> new DiskParams(1, 1, 100.5, 4096, false, DEFAULT));
        rejects("percent", () -> new DiskParams(1, 1, Double.NaN, 4096, false, DEFAULT));
        rejects("runlength", () -> new DiskParams(1, 1, 10, 0, false, DEFAULT));
        rejects("model", () -> new DiskParams(1, 1, 10, 1, false, null));
    }

    @Test
    void acceptsTheExtremes() {
        assertDoesNotThrow(
                () ->
                        new DiskParams(
                                Long.MAX_VALUE, 0xffffffffL, 100, Long.MAX_VALUE, true, DEFAULT));
        assertDoesNotThrow(() -> new DiskParams(1, 0, 0, 1, false, DiskParams.Model.NBDKIT));
    }
}
