package io.sparserandom.generator;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A missing tool skips an interop test, or fails it when interop.required=true. */
class InteropTest {
    private static final String MISSING = "no-such-tool-sparse-random-xyz";

    @Test
    void missingToolSkipsOrFails() {
        String old = System.getProperty("interop.required");
        try {
            System.clearProperty("interop.required");
            assertThrows(TestAbortedException.class, () -> Interop.require(MISSING));
            System.setProperty("interop.required", "true");
            assertThrows(AssertionFailedError.class, () -> Interop.require(MISSING));
        } finally {
            if (old == null) {
                System.clearProperty("interop.required");
            } else {
                System.setProperty("interop.required", old);
            }
        }
    }

    @Test
    void findsAToolThatExists() {
        assertNotNull(Interop.find("sh"));
    }
}
