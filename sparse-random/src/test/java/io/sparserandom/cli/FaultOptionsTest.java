package io.sparserandom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.faults.FaultPlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The fault options as the command line takes them: good values make a plan, bad ones exit 2. */
class FaultOptionsTest {
    private static final List<String> ALL =
            List.of(
                    "--error",
                    "read,write:1%:ENOSPC:once",
                    "--error",
                    "flush:1",
                    "--delay",
                    "all:1ms",
                    "--delay",
                    "read:500us",
                    "--rate",
                    "200M",
                    "--block-size",
                    "4K:64K:1M",
                    "--block-size-policy",
                    "disconnect",
                    "--disconnect-after",
                    "1G",
                    "--corrupt-reads",
                    "0.5%",
                    "--fault-seed",
                    "42",
                    "--no-extents",
                    "--no-multi-conn",
                    "--no-zero",
                    "--no-fast-zero",
                    "--no-trim",
                    "--no-fua",
                    "--no-flush",
                    "--no-cache");

    private static FaultPlan plan(List<String> args) {
        SparseRandomCommand cmd = new SparseRandomCommand();
        CommandLine cl = new CommandLine(cmd);
        cl.parseArgs(args.toArray(String[]::new));
        return cmd.faultOptions.plan(cmd.spec);
    }

    @Test
    void everyOptionReachesThePlan() {
        FaultPlan p = plan(concat(List.of("1G"), ALL));
        assertEquals(FaultPlan.parse(ALL), p, "the mixin and FaultPlan.parse agree");
        assertEquals(2, p.errors().size());
        assertEquals(8, p.masked().size());
        assertEquals(42, p.seed(7));
        assertTrue(p.hasDeviceFaults());
        assertTrue(p.hasServerFaults());
    }

    @Test
    void noOptionsNoFaults() {
        FaultPlan p = plan(List.of("1G", "seed=3"));
        assertTrue(p.isEmpty());
        assertEquals(3, p.seed(3), "the fault seed defaults to the disk's seed");
    }

    private static String[] run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        int status = cl.execute(args);
        return new String[] {Integer.toString(status), err.toString()};
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--error|rd:1%|unknown command 'rd'",
                "--error|read:2|'2' is not between 0 and 1",
                "--error|read:1%:EAGAIN|unknown errno 'EAGAIN'",
                "--delay|read|expected OPS:DURATION",
                "--delay|read:soon|cannot parse duration 'soon'",
                "--rate|fast|--rate: cannot parse 'fast'",
                "--rate|0|must be more than 0",
                "--block-size|4K:64K|MIN:PREFERRED:MAX",
                "--block-size|3K:4K:1M|not a power of two",
                "--block-size-policy|ignore|'ignore' is not one of error, disconnect",
                "--disconnect-after|-5|--disconnect-after: cannot parse '-5'",
                "--corrupt-reads|often|--corrupt-reads: bad rate 'often'",
                "--fault-seed|x|bad --fault-seed 'x'"
            })
    void badValuesAreOneLineUsageErrors(String option, String value, String message) {
        for (String command : new String[] {null, "bench"}) {
            String[] r =
                    command == null
                            ? run("1G", option, value)
                            : run(command, "1G", "--tool", "builtin", option, value);
            assertEquals("2", r[0], command + " " + option + " " + value + ": " + r[1]);
            String first = r[1].lines().findFirst().orElse("");
            assertTrue(first.contains(message), first);
            assertFalse(r[1].contains("\tat "), "no stack trace: " + r[1]);
        }
    }

    @Test
    void singleValuedOptionsOnlyOnce() {
        String[] r = run("1G", "--rate", "1M", "--rate", "2M");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("--rate"), r[1]);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
