package io.sparserandom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class SweepOptionsTest {

    private static SweepOptions options(String... specs) {
        SweepOptions o = new SweepOptions();
        o.specs = List.of(specs);
        return o;
    }

    @Test
    void cartesianProductFirstParameterSlowest() {
        Map<String, List<String>> swept = options("rs=64K,1M", "n=1,2,4").parse();
        assertEquals(List.of("rs", "n"), List.copyOf(swept.keySet()));
        List<Map<String, String>> points = SweepOptions.product(swept);
        assertEquals(6, points.size());
        assertEquals(Map.of("rs", "64K", "n", "1"), points.get(0));
        assertEquals(Map.of("rs", "64K", "n", "4"), points.get(2));
        assertEquals(Map.of("rs", "1M", "n", "1"), points.get(3));
        assertEquals(List.of(Map.of()), SweepOptions.product(Map.of()));
    }

    @Test
    void substitutesOnlySweptNames() {
        Map<String, String> v = Map.of("rs", "1M");
        assertEquals(
                "nbdcopy --request-size=1M \"$uri\" \"$uri\" ${HOME} ${rs} {} {other}",
                SweepOptions.substitute(
                        "nbdcopy --request-size={rs} \"$uri\" \"$uri\" ${HOME} ${rs} {} {other}",
                        v));
        assertEquals("a$1\\b", SweepOptions.substitute("{x}", Map.of("x", "a$1\\b")));
    }

    @Test
    void dropsParamOptionsInBothSpellings() {
        assertEquals(
                List.of("bench", "1G", "--tool", "x={a}{b}"),
                SweepOptions.withoutSweep(
                        List.of(
                                "bench",
                                "--param",
                                "a=1,2",
                                "1G",
                                "--param=b=3",
                                "--tool",
                                "x={a}{b}")));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "rs|not NAME=V1,V2",
                "1x=2|not NAME=V1,V2",
                "rs=1,,2|empty value",
                "rs=1,1|repeats a value",
            })
    void badSpecs(String spec, String message) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> options(spec).parse());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void tooManyPointsAndRepeatedNames() {
        assertThrows(
                IllegalArgumentException.class,
                () -> options("a=1,2,3,4,5,6,7,8,9,10", "b=" + numbers(101)).parse());
        assertThrows(IllegalArgumentException.class, () -> options("a=1", "a=2").parse());
    }

    private static String numbers(int n) {
        StringBuilder s = new StringBuilder("0");
        for (int i = 1; i < n; i++) {
            s.append(',').append(i);
        }
        return s.toString();
    }

    private static String[] run(String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(out, true));
        int status = cl.execute(args);
        return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }

    @Test
    void usageErrorsBeforeAnyRun() {
        String[] unused = run("bench", "1G", "--param", "rs=1,2", "--tool", "nbdcopy");
        assertEquals("2", unused[0]);
        assertTrue(unused[2].contains("{rs} appears nowhere"), unused[2]);
        String[] badDisk = run("bench", "1G", "percent={p}", "--param", "p=10,200");
        assertEquals("2", badDisk[0]);
        assertTrue(badDisk[2].contains("{p=200}") && badDisk[2].contains("'200'"), badDisk[2]);
        String[] badReference = run("bench", "1G", "--tool", "nbdcopy", "--reference", "dd");
        assertEquals("2", badReference[0]);
        assertTrue(badReference[2].contains("--reference: 'dd' is not one of the tools"));
        for (String[] r : List.of(unused, badDisk, badReference)) {
            assertTrue(!r[2].contains("Exception") && !r[2].contains("\tat "), r[2]);
        }
    }
}
