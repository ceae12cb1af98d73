package io.sparserandom.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparserandom.device.DeviceException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the requests and their order, a seed fails the same set: the decision has no memory of
 * history.
 */
class FaultDeterminismPropertyTest {
    private record Req(FaultCommand command, long offset, long length) {}

    @Provide
    Arbitrary<List<Req>> requests() {
        Arbitrary<Req> req =
                Combinators.combine(
                                Arbitraries.of(
                                        FaultCommand.ZERO, FaultCommand.TRIM, FaultCommand.CACHE),
                                Arbitraries.longs().between(0, 1L << 50),
                                Arbitraries.longs().between(1, 1L << 25))
                        .as(Req::new);
        return req.list().ofMaxSize(300);
    }

    /** The requests whose first send failed. */
    private static Set<Req> failing(List<Req> reqs, long seed, String rule) {
        TestDisk disk = TestDisk.allData(TestDisk.BLOCK);
        try {
            ErrorInjectingDevice d =
                    ErrorInjectingDevice.wrap(
                            disk, List.of(ErrorRule.parse(rule)), seed, new FaultCounters());
            Set<Req> seen = new HashSet<>();
            Set<Req> failed = new HashSet<>();
            for (Req r : reqs) {
                if (!seen.add(r)) {
                    continue; // only first attempts: a repeat of a once-failure is a retry
                }
                try {
                    switch (r.command()) {
                        case ZERO -> d.zero(r.offset(), r.length(), 0);
                        case TRIM -> d.trim(r.offset(), r.length(), 0);
                        default -> d.cache(r.offset(), r.length(), 0);
                    }
                } catch (DeviceException e) {
                    failed.add(r);
                }
            }
            return failed;
        } finally {
            disk.close();
        }
    }

    @Property(tries = 200)
    void orderDoesNotMatter(
            @ForAll("requests") List<Req> reqs, @ForAll long seed, @ForAll long shuffle) {
        List<Req> shuffled = new ArrayList<>(reqs);
        Collections.shuffle(shuffled, new Random(shuffle));
        for (String rule : new String[] {"all:30%", "zero,trim:50%:EPERM:once"}) {
            assertEquals(failing(reqs, seed, rule), failing(shuffled, seed, rule), rule);
        }
    }
}
