package io.sparserandom.client;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import static org.junit.jupiter.api.Assertions.*;

/** A missing tool is a skip locally and a failure when interop.required=true (CI). */
class InteropTest {
    static final String MISSING = "no-such-tool-for-sparse-random-tests";

    @Test
    void missingToolFailsWhenRequired() {
        String old = System.getProperty("interop.required");
        try {
            System.setProperty("interop.required", "true");
            AssertionError e = assertThrows(AssertionError.class, () -> Interop.require(MISSING));
            assertTrue(e.getMessage().contains(MISSING));
            System.setProperty("interop.required", "false");
            assertThrows(TestAbortedException.class, () -> Interop.require(MISSING));
        } finally {
            if (old == null) {
                System.clearProperty("interop.required");
            } else {
                System.setProperty("interop.required", old);
            }
        }
    }

    @Test
    void presentToolPasses() {
        assertNotNull(Interop.find("sh"));
        System.setProperty("interop.required", System.getProperty("interop.required", "false"));
        Interop.require("sh");
    }
}
