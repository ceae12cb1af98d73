package io.sparserandom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The hidden --self-copy that bin/sparse-random trains its class-data archive with: no outside
 * tool.
 */
class SelfCopyTest {
    private static int run(StringWriter err, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    @Test
    void copiesTheDiskOntoItselfInThisJvmAndPasses() {
        StringWriter err = new StringWriter();
        assertEquals(
                0, run(err, "8M", "seed=3", "--self-copy", "--check-complete"), err.toString());
        assertTrue(err.toString().contains("verdict: PASS"), err.toString());
    }

    @Test
    void isNotForUseWithRun() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "8M", "--self-copy", "--run", "true"), err.toString());
        assertTrue(err.toString().contains("--self-copy and --run"), err.toString());
    }

    @Test
    void staysOutOfTheHelp() {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute("--help"));
        assertTrue(!out.toString().contains("--self-copy"), out.toString());
    }
}
