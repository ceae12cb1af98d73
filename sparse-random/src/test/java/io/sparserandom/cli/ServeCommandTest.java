package io.sparserandom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** serve and verdict: bad command lines get one line and exit 2, before anything listens. */
class ServeCommandTest {
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
                "serve --idle-expiry soon|'soon' is not a duration",
                "serve --idle-expiry 0|must be positive",
                "serve --max-exports 0|must be at least 1",
                "serve -p 70000|70000 is not a TCP port",
                "serve --http-port -1|-1 is not a TCP port",
                "serve -p 1 -U /tmp/x.sock|cannot be used together",
                "serve --export 1T,sed=1|--export '1T,sed=1': unknown parameter 'sed'",
                "serve --max-exports 1 --export 1G --export 2G|more than --max-exports 1",
                "serve --http-token /nonexistent/token|--http-token: cannot read",
                "serve --tls on|needs --tls-certificates",
                "verdict 1T|--http",
                "verdict --http ftp://x 1T|is not an http:// URL",
            })
    void badCommandLines(String line, String message) {
        String[] r = run(line.split(" "));
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains(message), r[1]);
        assertEquals(1, r[1].strip().lines().count(), "one line: " + r[1]);
    }

    @Test
    void verdictFromNowhereIsExitOne() {
        String[] r = run("verdict", "--http", "http://127.0.0.1:1", "1T");
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains("cannot reach"), r[1]);
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), Durations.parse("d", "500ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("d", "30s"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("d", "30"));
        assertEquals(Duration.ofMinutes(10), Durations.parse("d", "10m"));
        assertEquals(Duration.ofHours(1), Durations.parse("d", "1h"));
        assertEquals(Duration.ofDays(2), Durations.parse("d", "2d"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("d", "PT1H30M"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("d", "1y"));
    }
}
