package io.sparserandom.verifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RangeSetTest {
    @Test
    void adjacentAndOverlappingRangesMerge() {
        RangeSet s = new RangeSet(100);
        s.add(0, 10);
        s.add(10, 10);
        s.add(5, 3);
        s.add(30, 10);
        s.add(15, 20);
        assertEquals(1, s.size());
        assertEquals(40, s.totalBytes());
        assertEquals(40, s.coveredBytes(0, 100));
    }

    @Test
    void gapsAndCoverageOfAQueryRange() {
        RangeSet s = new RangeSet(100);
        s.add(10, 10);
        s.add(40, 10);
        assertEquals(10, s.coveredBytes(15, 45));
        List<long[]> gaps = s.gaps(0, 60);
        assertEquals(3, gaps.size());
        assertArrayEquals(new long[] {0, 10}, gaps.get(0));
        assertArrayEquals(new long[] {20, 40}, gaps.get(1));
        assertArrayEquals(new long[] {50, 60}, gaps.get(2));
        assertTrue(s.gaps(12, 18).isEmpty());
    }

    @Test
    void randomOrderWritesOfADiskEndAsOneRange() {
        int n = 10_000;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random r = new Random(1);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        RangeSet s = new RangeSet(100_000);
        for (int i : order) {
            s.add(i * 4096L, 4096);
        }
        assertEquals(1, s.size());
        assertEquals(n * 4096L, s.totalBytes());
    }

    @Test
    void capIsEnforcedAndReported() {
        RangeSet s = new RangeSet(3);
        for (int i = 0; i < 5; i++) {
            s.add(i * 10L, 5);
        }
        assertEquals(3, s.size());
        assertTrue(s.overflowed());
        RangeSet ok = new RangeSet(3);
        ok.add(0, 5);
        assertFalse(ok.overflowed());
    }

    @Test
    void bruteForceAgreesWithModel() {
        Random r = new Random(7);
        for (int round = 0; round < 200; round++) {
            RangeSet s = new RangeSet(1000);
            boolean[] model = new boolean[200];
            for (int k = 0; k < 20; k++) {
                int a = r.nextInt(200);
                int len = r.nextInt(200 - a) + 1;
                s.add(a, len);
                for (int i = a; i < a + len; i++) {
                    model[i] = true;
                }
            }
            int qa = r.nextInt(200);
            int qb = qa + r.nextInt(200 - qa) + 1;
            long expect = 0;
            for (int i = qa; i < qb; i++) {
                expect += model[i] ? 1 : 0;
            }
            assertEquals(expect, s.coveredBytes(qa, qb));
            long gapBytes = s.gaps(qa, qb).stream().mapToLong(g -> g[1] - g[0]).sum();
            assertEquals(qb - qa - expect, gapBytes);
        }
    }

    @Test
    void chunksEmptiedByMergesJoinTheirNeighbours() {
        RangeSet s = new RangeSet(1_000_000);
        int n = 64 * 100;
        for (int i = 0; i < n; i++) {
            s.add(2L * i, 1); // isolated ranges appended in order: chunks of half a CHUNK each
        }
        assertEquals(n, s.size());
        // Join neighbours inside each group of 32, never across groups: a hundred-odd chunks would
        // hold one or two ranges each unless sparse chunks join.
        for (int i = 0; i < n - 1; i++) {
            if (i % 32 != 31) {
                s.add(2L * i + 1, 1);
            }
        }
        assertEquals(n / 32, s.size());
        assertTrue(
                s.chunkCount() <= s.size() / 8 + 2,
                s.chunkCount() + " chunks for " + s.size() + " ranges");
    }
}
