package io.sparserandom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sparserandom.generator.DiskParams;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Main's look at the disk's parameters before picocli. */
class EarlyArgumentsTest {
    @Test
    void theOptionsThatTakeAValueAreThoseOfPicocliModel() {
        Set<String> fromPicocli = new TreeSet<>();
        for (CommandLine.Model.OptionSpec o :
                new CommandLine(new SparseRandomCommand()).getCommandSpec().options()) {
            if (o.arity().max() > 0) {
                fromPicocli.addAll(Arrays.asList(o.names()));
            }
        }
        assertEquals(fromPicocli, new TreeSet<>(EarlyArguments.VALUE_OPTIONS));
    }

    @Test
    void readsTheDiskOfPlainCommandLines() {
        assertEquals(1L << 40, size("1T", "--run", "nbdcopy \"$uri\" \"$uri\""));
        assertEquals(4L << 30, size("-p", "10809", "4G", "seed=1"));
        assertEquals(4L << 30, size("--error", "write:1%", "-v", "size=4G", "percent=50"));
        assertEquals(4L << 30, size("-U", "-", "--", "4G"));
        assertEquals(
                100.0, EarlyArguments.diskParams(new String[] {"8G", "percent=100"}).percent());
        assertEquals(
                true,
                EarlyArguments.diskParams(new String[] {"64M", "random-content=true"})
                        .randomContent());
    }

    @Test
    void leavesAnythingElseToPicocli() {
        assertNull(EarlyArguments.diskParams(new String[] {"bench", "4G"}));
        assertNull(EarlyArguments.diskParams(new String[] {"@args.txt"}));
        assertNull(EarlyArguments.diskParams(new String[] {"4G", "nonsense=1"}));
        assertNull(EarlyArguments.diskParams(new String[] {"4G", "8G"}));
        assertNull(EarlyArguments.diskParams(new String[] {}));
        assertNull(EarlyArguments.diskParams(new String[] {"--help"}));
    }

    private static long size(String... args) {
        DiskParams p = EarlyArguments.diskParams(args);
        return p == null ? -1 : p.size();
    }
}
