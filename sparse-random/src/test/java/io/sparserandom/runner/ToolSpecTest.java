package io.sparserandom.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolSpecTest {
    @Test
    void knownToolsByName() {
        ToolSpec t = ToolSpec.parse("nbdcopy");
        assertEquals("nbdcopy", t.name());
        assertEquals("nbdcopy \"$uri\" \"$uri\"", t.command());
        assertTrue(ToolSpec.parse("qemu-img").command().startsWith("qemu-img convert -n"));
        // Under surefire, started by class path: the main class by name, the packages opened.
        String builtin = ToolSpec.parse("builtin").command();
        assertTrue(builtin.contains(" io.sparserandom.cli.Main copy "), builtin);
        assertTrue(builtin.contains(" --add-opens java.base/java.nio=ALL-UNNAMED "), builtin);
    }

    @Test
    void theBuiltInCopierRunsWithTheLaunchersOptions() {
        String command = ToolSpec.builtin().command();
        for (String option : JvmOptions.load()) {
            assertTrue(
                    command.contains(" " + ToolSpec.word(option) + " "), option + " in " + command);
        }
    }

    @Test
    void customCommands() {
        ToolSpec t = ToolSpec.parse("mine=sh -c 'exit 0'");
        assertEquals("mine", t.name());
        assertEquals("sh -c 'exit 0'", t.command());
        assertTrue(t.available());
    }

    @Test
    void aMissingProgramIsUnavailableWithAReason() {
        ToolSpec t = ToolSpec.parse("ghost=no-such-program-here \"$uri\"");
        assertFalse(t.available());
        assertTrue(
                t.unavailableReason().contains("no-such-program-here is not installed"),
                t.unavailableReason());
    }

    @Test
    void badSpecsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ToolSpec.parse("unknown-tool"));
        assertThrows(IllegalArgumentException.class, () -> ToolSpec.parse("=cmd"));
        assertThrows(IllegalArgumentException.class, () -> ToolSpec.parse("x="));
        assertThrows(IllegalArgumentException.class, () -> ToolSpec.parse("bad name=cmd"));
    }

    @Test
    void quotingSurvivesTheShell() throws Exception {
        String s = "it's a \"path\"";
        Process p = new ProcessBuilder("/bin/sh", "-c", "printf %s " + ToolSpec.quote(s)).start();
        assertEquals(s, new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(0, p.waitFor());
    }

    @Test
    void theBuiltInCopierUsesTheLaunchersClassArchiveWhenThereIsOne(@TempDir Path dir)
            throws Exception {
        Path jar = Files.createFile(dir.resolve("sparse-random.jar"));
        assertEquals("", ToolSpec.sharedArchive(jar.toString()));
        Files.createFile(dir.resolve("sparse-random-copier.jsa"));
        String options = ToolSpec.sharedArchive(jar.toString());
        assertTrue(
                options.contains(
                        "-XX:SharedArchiveFile='" + dir.resolve("sparse-random-copier.jsa") + "'"),
                options);
        assertTrue(options.contains("-Xshare:auto"), options);
        assertEquals("", ToolSpec.sharedArchive(dir.resolve("classes").toString()));
        // The launcher's small jar (java -jar), and a class path that ends with the application.
        assertEquals(
                options, ToolSpec.sharedArchive(dir.resolve("sparse-random-first.jar").toString()));
        String classPath = dir.resolve("sparse-random-first.jar") + ":" + jar;
        assertEquals(options, ToolSpec.sharedArchive(classPath));
        assertEquals("", ToolSpec.sharedArchive(jar + ":" + dir.resolve("classes")));
    }
}
