package io.sparserandom.verifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link RangeSet} against a brute-force model: one boolean per byte of a small space. */
class RangeSetPropertyTest {
    private static final int SPACE = 20_000;

    @Provide
    Arbitrary<List<long[]>> additions() {
        // Mostly short ranges, so that hundreds stay apart (chunks of 64 split many times over),
        // and some long ones that merge across chunks and leave sparse chunks behind.
        Arbitrary<Integer> length =
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(20, Arbitraries.integers().between(1, 8)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(9, 3000)));
        Arbitrary<long[]> one =
                Combinators.combine(Arbitraries.integers().between(0, SPACE - 1), length)
                        .as((a, n) -> new long[] {a, Math.min(SPACE, a + n)});
        return one.list().ofMinSize(0).ofMaxSize(2500);
    }

    @Provide
    Arbitrary<List<long[]>> queries() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, SPACE - 1),
                        Arbitraries.integers().between(1, SPACE))
                .as((a, n) -> new long[] {a, Math.min(SPACE, a + n)})
                .list()
                .ofMaxSize(20);
    }

    @Property(tries = 200)
    void agreesWithAModel(
            @ForAll("additions") List<long[]> adds, @ForAll("queries") List<long[]> queries) {
        RangeSet set = new RangeSet(1_000_000);
        boolean[] model = new boolean[SPACE];
        for (long[] r : adds) {
            set.addRange(r[0], r[1]);
            for (long i = r[0]; i < r[1]; i++) {
                model[(int) i] = true;
            }
        }
        assertEquals(runs(model, 0, SPACE, true).size(), set.size());
        assertEquals(count(model, 0, SPACE), set.totalBytes());
        List<long[]> all = new ArrayList<>();
        set.forEach(0, SPACE, (a, b) -> all.add(new long[] {a, b}));
        assertRangesEqual(runs(model, 0, SPACE, true), all);
        for (long[] q : queries) {
            int a = (int) q[0];
            int b = (int) q[1];
            assertEquals(count(model, a, b), set.coveredBytes(a, b));
            List<long[]> gaps = runs(model, a, b, false);
            assertRangesEqual(gaps, set.gaps(a, b));
            long[] first = set.firstGap(a, b);
            if (gaps.isEmpty()) {
                assertNull(first);
            } else {
                assertArrayEquals(gaps.get(0), first);
            }
        }
        assertFalse(set.overflowed());
        // Memory stays proportional to the ranges held: chunks are not left nearly empty.
        assertTrue(
                set.chunkCount() <= set.size() / 8 + 2,
                set.chunkCount() + " chunks for " + set.size() + " ranges");
    }

    @Property(tries = 200)
    void atTheCapIsolatedRangesAreDroppedAndMergesStillHappen(
            @ForAll("additions") List<long[]> adds) {
        int cap = 5;
        RangeSet set = new RangeSet(cap);
        boolean[] model = new boolean[SPACE];
        boolean dropped = false;
        for (long[] r : adds) {
            boolean kept = set.addRange(r[0], r[1]);
            dropped |= !kept;
            if (kept) {
                for (long i = r[0]; i < r[1]; i++) {
                    model[(int) i] = true;
                }
            }
            // Never more than the cap, never a byte claimed that was not added.
            assertEquals(runs(model, 0, SPACE, true).size(), set.size());
            assertEquals(count(model, 0, SPACE), set.totalBytes());
        }
        assertEquals(dropped, set.overflowed());
    }

    private static long count(boolean[] model, int a, int b) {
        long n = 0;
        for (int i = a; i < b; i++) {
            n += model[i] ? 1 : 0;
        }
        return n;
    }

    /** Maximal runs of {@code value} in model[a, b). */
    private static List<long[]> runs(boolean[] model, int a, int b, boolean value) {
        List<long[]> out = new ArrayList<>();
        int i = a;
        while (i < b) {
            if (model[i] != value) {
                i++;
                continue;
            }
            int j = i;
            while (j < b && model[j] == value) {
                j++;
            }
            out.add(new long[] {i, j});
            i = j;
        }
        return out;
    }

    private static void assertRangesEqual(List<long[]> expected, List<long[]> actual) {
        assertEquals(expected.size(), actual.size(), "number of ranges");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "range " + i);
        }
    }
}
