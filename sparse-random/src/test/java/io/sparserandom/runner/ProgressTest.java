package io.sparserandom.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void firstRunShowsBytesOnlyLaterRunsAFractionAndEtas() {
        Progress p = new Progress(4);
        String first = p.line("nbdcopy warm-up", "nbdcopy", 2.0, 1L << 30);
        assertTrue(first.startsWith("\r\033[K[1/4] nbdcopy warm-up  2.00 s  1.00 GiB verified"));
        assertFalse(first.contains("ETA"), first);
        p.finished("nbdcopy", 4.0, 2L << 30);
        // Half of the previous run's 2 GiB after 3 s: 3 s left; then 2 more runs at 4 s each.
        String second = p.line("nbdcopy run 1/3", "nbdcopy", 3.0, 1L << 30);
        assertEquals(
                "\r\033[K[2/4] nbdcopy run 1/3  3.00 s  1.00 GiB verified of 2.00 GiB (50 %)"
                        + "  ETA 3.00 s  all done in 11.0 s",
                second);
    }
}
