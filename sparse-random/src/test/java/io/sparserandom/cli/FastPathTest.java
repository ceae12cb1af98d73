package io.sparserandom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The main command's plain command lines read without picocli's model, exactly as picocli. */
class FastPathTest {
    @Test
    void theTableNamesEveryOptionOfPicocliModel() {
        Set<String> fromPicocli = new TreeSet<>();
        for (CommandLine.Model.OptionSpec o :
                new CommandLine(new SparseRandomCommand()).getCommandSpec().options()) {
            fromPicocli.addAll(Arrays.asList(o.names()));
        }
        fromPicocli.removeAll(Set.of("-h", "--help", "-V", "--version"));
        assertEquals(fromPicocli, new TreeSet<>(FastPath.OPTIONS.keySet()));
    }

    @Test
    void flagsAreExactlyTheOptionsThatTakeNoValue() {
        for (CommandLine.Model.OptionSpec o :
                new CommandLine(new SparseRandomCommand()).getCommandSpec().options()) {
            for (String name : o.names()) {
                FastPath.Kind kind = FastPath.OPTIONS.get(name);
                if (kind != null) {
                    assertEquals(o.arity().max() == 0, kind == FastPath.Kind.FLAG, name);
                }
            }
        }
    }

    @Test
    void theDiskOfAPlainLineIsKnownBeforePicocli() {
        assertEquals(1L << 40, disk("1T", "--run", "nbdcopy \"$uri\" \"$uri\"").size());
        assertEquals(4L << 30, disk("-p", "10809", "4G", "seed=1").size());
        assertEquals(100.0, disk("8G", "percent=100").percent());
        assertEquals(true, disk("64M", "random-content=true").randomContent());
        assertNull(FastPath.diskParams(FastPath.parse(new String[] {"4G", "nonsense=1"})));
        assertNull(FastPath.diskParams(FastPath.parse(new String[] {"4G", "8G"})));
    }

    private static io.sparserandom.generator.DiskParams disk(String... args) {
        return FastPath.diskParams(FastPath.parse(args));
    }

    @Test
    void commonLinesAreTakenAndReadAsPicocliReadsThem() throws Exception {
        String[][] lines = {
            {"1T", "--run", "nbdcopy \"$uri\" \"$uri\""},
            {"4G", "seed=1", "--run", "true"},
            {"-U", "-", "8G", "percent=50", "--check-complete", "--check-durable"},
            {"--error=write:1%", "--error", "read:2%:EIO:once", "64M", "--delay", "all:1ms"},
            {"-p", "10809", "-i", "0.0.0.0", "-e", "disk", "--max-connections", "8", "16G"},
            {"--verdict", "v.json", "--junit=j.xml", "2G", "--stats", "-v", "-r"},
            {"--tls", "require", "--tls-certificates", "/tmp/pki", "1G", "--no-trim"},
            {"--", "size=4G", "random-content=true"},
            {"4G", "--fault-seed", "7", "--rate", "200M", "--block-size", "4K:64K:1M"},
        };
        for (String[] args : lines) {
            SparseRandomCommand fast = FastPath.parse(args);
            assertNotNull(fast, String.join(" ", args));
            assertEquals(state(picocli(args)), state(fast), String.join(" ", args));
        }
    }

    @Test
    void anythingElseIsLeftToPicocli() {
        String[][] lines = {
            {"--help"},
            {"-V"},
            {"bench", "4G"},
            {"@args.txt"},
            {"-rv", "4G"},
            {"-p10809", "4G"},
            {"--run", "true", "--run", "false", "4G"},
            {"-r", "-r", "4G"},
            {"--port", "0x10", "4G"},
            {"--port", "010", "4G"},
            {"--port", "-1", "4G"},
            {"--run"},
            {"--run", "--stats", "4G"},
            {"--stats=true", "4G"},
            {"--nonsense", "4G"},
        };
        for (String[] args : lines) {
            assertNull(FastPath.parse(args), String.join(" ", args));
        }
    }

    @Test
    void randomLinesTakenAreReadAsPicocliReadsThem() throws Exception {
        Random r = new Random(42);
        List<String> names = new ArrayList<>(new TreeSet<>(FastPath.OPTIONS.keySet()));
        String[] values = {"1", "80", "65535", "-", "a b", "x=y", "0.0.0.0", "/tmp/f", "on", "7"};
        int taken = 0;
        for (int n = 0; n < 3000; n++) {
            List<String> args = new ArrayList<>();
            int count = r.nextInt(6);
            for (int k = 0; k < count; k++) {
                String name = names.get(r.nextInt(names.size()));
                FastPath.Kind kind = FastPath.OPTIONS.get(name);
                if (kind == FastPath.Kind.FLAG) {
                    args.add(name);
                } else if (r.nextBoolean() && name.startsWith("--")) {
                    args.add(name + "=" + values[r.nextInt(values.length)]);
                } else {
                    args.add(name);
                    args.add(values[r.nextInt(values.length)]);
                }
            }
            args.add(r.nextInt(args.size() + 1), r.nextBoolean() ? "4G" : "size=1T");
            if (r.nextInt(4) == 0) {
                args.add(r.nextInt(args.size() + 1), "seed=" + r.nextInt(100));
            }
            String[] a = args.toArray(String[]::new);
            SparseRandomCommand fast = FastPath.parse(a);
            if (fast != null) {
                taken++;
                assertEquals(state(picocli(a)), state(fast), String.join(" ", a));
            }
        }
        // Most generated lines repeat no option and are taken.
        assertEquals(true, taken > 1000, "taken " + taken);
    }

    private static SparseRandomCommand picocli(String... args) {
        SparseRandomCommand c = new SparseRandomCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    /** Every field the command and its mixins hold, by name, but picocli's own specs. */
    private static Map<String, Object> state(Object o) throws IllegalAccessException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Field f : o.getClass().getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())
                    || f.getType() == CommandLine.Model.CommandSpec.class) {
                continue;
            }
            f.setAccessible(true);
            Object v = f.get(o);
            if (v != null && v.getClass().getPackageName().equals("io.sparserandom.cli")) {
                out.put(f.getName(), state(v));
            } else {
                out.put(f.getName(), v);
            }
        }
        return out;
    }
}
