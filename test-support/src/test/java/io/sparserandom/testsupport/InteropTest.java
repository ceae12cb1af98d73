package io.sparserandom.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * A missing tool skips an interop test on a developer machine, and fails it when
 * interop.required=true (CI).
 */
class InteropTest {
    private static final String MISSING = "no-such-tool-sparse-random-xyz";

    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(Interop.REQUIRED);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(Interop.REQUIRED);
        } else {
            System.setProperty(Interop.REQUIRED, saved);
        }
    }

    @Test
    void missingToolSkipsByDefault() {
        System.clearProperty(Interop.REQUIRED);
        TestAbortedException e =
                assertThrows(TestAbortedException.class, () -> Interop.require(MISSING));
        assertTrue(e.getMessage().contains(MISSING), e.getMessage());
        System.setProperty(Interop.REQUIRED, "false");
        assertThrows(TestAbortedException.class, () -> Interop.require(MISSING));
        assertThrows(TestAbortedException.class, () -> Interop.requireAll("sh", MISSING));
    }

    @Test
    void missingToolFailsWhenRequired() {
        System.setProperty(Interop.REQUIRED, "true");
        AssertionFailedError e =
                assertThrows(AssertionFailedError.class, () -> Interop.require(MISSING));
        assertTrue(e.getMessage().contains(MISSING), e.getMessage());
        assertThrows(AssertionFailedError.class, () -> Interop.requireAll("sh", MISSING));
        assertThrows(AssertionFailedError.class, () -> Interop.require("/nonexistent/" + MISSING));
    }

    @Test
    void presentToolIsFoundOnPathOrByAbsolutePath() {
        for (String required : new String[] {"false", "true"}) {
            System.setProperty(Interop.REQUIRED, required);
            Path sh = Interop.require("sh");
            assertTrue(sh.isAbsolute() && sh.endsWith("sh"), sh.toString());
            assertEquals(sh, Interop.require(sh.toString()));
            Interop.requireAll("sh", sh.toString());
        }
        assertEquals(Optional.empty(), Interop.find(MISSING));
        assertEquals(Optional.empty(), Interop.find("/"), "a directory is not a program");
    }

    @Test
    void pythonWithTheLibnbdBindings() {
        assertEquals(Path.of(Interop.PYTHON), Interop.pythonNbd());
    }
}
