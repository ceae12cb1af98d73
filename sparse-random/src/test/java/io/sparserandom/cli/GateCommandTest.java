package io.sparserandom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The gate's command line: listing, defaults and usage errors (nothing is run). */
class GateCommandTest {
    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(out, true));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void listPrintsEveryScenarioWithItsClassAndOptions() {
        Run r = run("gate", "--list", "--add", "mine=--no-trim --no-zero:hostile");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.size() >= 16, r.out());
        assertTrue(
                lines.stream().anyMatch(l -> l.matches("read-eio +hostile +--error read:1% .*")),
                r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("baseline +benign +.*")), r.out());
        assertTrue(
                lines.stream().anyMatch(l -> l.matches("mine +hostile +--no-trim --no-zero .*")),
                r.out());
    }

    @Test
    void diskDefaultsFillWhatIsLeftOut() {
        assertEquals(List.of("8G", "seed=1"), GateCommand.disk(List.of()));
        assertEquals(List.of("1G", "seed=1"), GateCommand.disk(List.of("1G")));
        assertEquals(List.of("8G", "seed=7"), GateCommand.disk(List.of("seed=7")));
        assertEquals(
                List.of("size=2G", "percent=50", "seed=1"),
                GateCommand.disk(List.of("size=2G", "percent=50")));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            ignoreLeadingAndTrailingWhitespace = false,
            value = {
                "gate|the tool's command is missing",
                "gate~8G|'8G' is a disk parameter",
                "gate~seed=3|'seed=3' is a disk parameter",
                "gate~--scenario~nope~true|'nope' is not a scenario",
                "gate~--add~x=--no-trim~true|is not NAME='OPTIONS':benign",
                "gate~--add~tcp=:benign~true|already exists",
                "gate~--add~x=--bogus:benign~--scenario~x~true|scenario x ('--bogus'): Unknown option",
                "gate~--timeout~0~true|--timeout: 0 must be at least 1",
                "gate~percent=101~true|percent",
                "gate~ |the tool's command is empty"
            })
    void usageErrorsAreOneLineAndExit2(String line, String message) {
        Run r = run(line.split("~"));
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
