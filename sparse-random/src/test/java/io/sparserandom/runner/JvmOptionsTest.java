package io.sparserandom.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmOptionsTest {
    @Test
    void wordsWithoutComments() {
        assertEquals(
                List.of("-Xms64m", "--add-opens", "java.base/java.nio=ALL-UNNAMED", "-Da=b"),
                JvmOptions.parse(
                                "# heading\n-Xms64m   # why\n\n--add-opens\n  java.base/java.nio=ALL-UNNAMED\n-Da=b c#d\n")
                        .subList(0, 4));
    }

    @Test
    void quotesAreRefusedRatherThanMisread() {
        assertThrows(IllegalStateException.class, () -> JvmOptions.parse("-Dx=\"a b\"\n"));
    }

    @Test
    void theShippedFileHasTheOptionsTheServerNeeds() {
        List<String> options = JvmOptions.load();
        assertTrue(options.contains("java.base/java.nio=ALL-UNNAMED"), options.toString());
        assertTrue(options.contains("-XX:+UseSerialGC"), options.toString());
    }

    @Test
    void theCopierCapsItsMemoryAfterTheCommonOptions() {
        List<String> copier = JvmOptions.copier();
        assertTrue(copier.contains("-Xmx32m"), copier.toString());
        assertTrue(copier.contains("-XX:-UseParallelGC"), copier.toString());
        assertTrue(copier.contains("-XX:+UseSerialGC"), copier.toString());
        String builtin = ToolSpec.builtin().command();
        assertTrue(
                builtin.indexOf("-Xmx160m") >= 0
                        && builtin.indexOf("-Xmx160m") < builtin.indexOf("-Xmx32m"),
                builtin);
    }
}
