package io.sparserandom.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertTrue(options.contains("-XX:+UseG1GC"), options.toString());
        assertTrue(options.contains("-Xmx160m"), options.toString());
        // The manifests open the packages: as options they would cost every start its archived
        // module graph.
        assertFalse(options.contains("--add-opens"), options.toString());
    }

    @Test
    void aNewJvmStartsAsThisOneWas() {
        String small = "/x/target/sparse-random-first.jar";
        assertEquals(List.of("-jar", small), JvmOptions.mainClass(small, small + " 4G --run true"));
        assertEquals(List.of("-jar", small), JvmOptions.mainClass(small, small));
        // Started by class path: the main class by name, and the manifest's opened packages as
        // options.
        List<String> byName = JvmOptions.mainClass(small, "io.sparserandom.cli.Main 4G --run true");
        assertEquals(
                List.of(
                        "--add-opens",
                        "java.base/java.nio=ALL-UNNAMED",
                        "--add-opens",
                        "java.base/jdk.internal.misc=ALL-UNNAMED",
                        "-cp",
                        small,
                        "io.sparserandom.cli.Main"),
                byName);
        String path = "/a/classes:/b/netty.jar";
        assertEquals(
                List.of("-cp", path, "io.sparserandom.cli.Main"),
                JvmOptions.mainClass(path, "org.apache.maven.surefire.booter.ForkedBooter x")
                        .subList(4, 7));
        // A jar whose name only begins like the command's first word is not the one started.
        assertEquals("-cp", JvmOptions.mainClass(small, small + "x 4G").get(4));
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
