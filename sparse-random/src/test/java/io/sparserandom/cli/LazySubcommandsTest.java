package io.sparserandom.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The main command alone serves arguments that name no subcommand; what users see must not change:
 * the help, every error, the exit statuses.
 */
class LazySubcommandsTest {
    private static final Set<String> ALL =
            Set.of("bench", "report", "copy", "gate", "serve", "verdict", "learn");

    @Test
    void subcommandsAreBuiltOnlyWhenAnArgumentMayNameOne() {
        assertTrue(Main.commandLine("4G", "--run", "true").getSubcommands().isEmpty());
        assertTrue(Main.commandLine("1T", "-U", "-", "seed=7").getSubcommands().isEmpty());
        assertEquals(ALL, Main.commandLine().getSubcommands().keySet());
        assertEquals(ALL, Main.commandLine("bench", "--help").getSubcommands().keySet());
        assertEquals(ALL, Main.commandLine("-v", "verdict", "x.json").getSubcommands().keySet());
        // An @file may hold a subcommand's name.
        assertEquals(ALL, Main.commandLine("@args.txt").getSubcommands().keySet());
    }

    private static String[] run(CommandLine cl, String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(out, true));
        int status = cl.execute(args);
        return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }

    /** Help, version, and errors both while parsing and once the command runs (exit 2). */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "--help",
                "-h",
                "1G -rh",
                "-V",
                "--version",
                "",
                "1G --bogus",
                "--runn true",
                "1G --run",
                "1G -p",
                "1G -p 70000",
                "1G -p eighty",
                "1G --tls maybe",
                "1G --metrics-port 99999",
                "1G seed=abc",
                "benchx 1G",
                "1G -U /x -p 1"
            })
    void theMainCommandAloneAnswersAsTheWholeCommandLine(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        assertTrue(Main.commandLine(args).getSubcommands().isEmpty());
        String[] lazy = run(Main.commandLine(args), args);
        String[] whole = run(Main.commandLine(), args);
        assertArrayEquals(whole, lazy, line);
    }
}
