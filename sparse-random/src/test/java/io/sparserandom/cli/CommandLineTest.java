package io.sparserandom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.generator.DiskParams;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class CommandLineTest {
    @ParameterizedTest
    @CsvSource({
        "1,1",
        "512,512",
        "4k,4096",
        "4K,4096",
        "1M,1048576",
        "16m,16777216",
        "1G,1073741824",
        "1T,1099511627776",
        "1P,1125899906842624",
        "4E,4611686018427387904",
        "7E,8070450532247928832",
        "9223372036854775807,9223372036854775807",
        "100b,100"
    })
    void sizes(String text, long bytes) {
        assertEquals(bytes, Sizes.parseSize("size", text));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "8E",
                "9223372036854775808",
                "1x",
                "",
                "K",
                "-1",
                "1.5G",
                "8388608T",
                "0x10"
            })
    void badSizes(String text) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Sizes.parseSize("size", text));
        assertTrue(e.getMessage().startsWith("size"), e.getMessage());
    }

    @Test
    void diskArgumentsLikeNbdkit() {
        DiskParams p =
                DiskArguments.parse(
                                List.of(
                                        "size=64G",
                                        "seed=4294967295",
                                        "percent=12.5",
                                        "runlength=1M",
                                        "random-content=yes",
                                        "compat=nbdkit"))
                        .params();
        assertEquals(64L << 30, p.size());
        assertEquals(4294967295L, p.seed());
        assertEquals(12.5, p.percent());
        assertEquals(1 << 20, p.runlength());
        assertTrue(p.randomContent());
        assertEquals(DiskParams.Model.NBDKIT, p.model());
        DiskArguments.Parsed d = DiskArguments.parse(List.of("1T"));
        assertEquals(1L << 40, d.params().size());
        assertEquals(10, d.params().percent());
        assertEquals(16 << 20, d.params().runlength());
        assertFalse(d.params().randomContent());
        assertEquals(DiskParams.Model.DEFAULT, d.params().model());
        assertTrue(d.randomSeed());
        assertTrue(d.params().seed() >= 0 && d.params().seed() <= 0xffffffffL);
    }

    private static String[] run(String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine(args); // as bin/sparse-random builds it
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(out, true));
        int status = cl.execute(args);
        return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0|size",
                "size=0|'0'",
                "8E|'8E'",
                "1G seed=-1|'-1'",
                "1G seed=4294967296|'4294967296'",
                "1G seed=abc|'abc'",
                "1G percent=101|'101'",
                "1G percent=NaN|'NaN'",
                "1G percent=ten|'ten'",
                "1G runlength=0|'0'",
                "1G random-content=maybe|'maybe'",
                "1G compat=qemu|'qemu'",
                "1G colour=blue|'colour'",
                "seed=1|size is required",
                "1G -p 70000|70000",
                "1G --max-connections 0|--max-connections",
                "1G --max-connections many|many",
                "1G --bogus|--bogus"
            })
    void badInputIsOneLineExitTwoAndStartsNothing(String args, String named) {
        String[] r = run(args.split(" "));
        assertEquals("2", r[0], r[2]);
        String err = r[2].strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("sparse-random: "), err);
        assertTrue(err.contains(named.replace("'", "")), err + " should name " + named);
        assertFalse(err.contains("serving"), err);
    }

    @Test
    void helpListsEveryParameterAndExitStatus() {
        String[] r = run("--help");
        assertEquals("0", r[0]);
        for (String s :
                List.of(
                        "seed=",
                        "percent=",
                        "runlength=",
                        "random-content=",
                        "compat=nbdkit",
                        "--unix",
                        "--port",
                        "--ipaddr",
                        "--readonly",
                        "--exportname",
                        "--run",
                        "--check-complete",
                        "--verdict",
                        "--junit",
                        "--verbose",
                        "--version",
                        "Exit status")) {
            assertTrue(r[1].contains(s), "help mentions " + s + ":\n" + r[1]);
        }
    }
}
