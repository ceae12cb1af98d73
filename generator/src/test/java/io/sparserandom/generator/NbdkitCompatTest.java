package io.sparserandom.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * compat=nbdkit against the real plugin: every byte of a whole disk (read with nbdcopy) and its map
 * (nbdinfo --map) must equal ours.
 */
class NbdkitCompatTest {
    static final long M = 1L << 20;

    @TempDir Path tmp;

    static Stream<Arguments> disks() {
        List<Arguments> a = new ArrayList<>();
        for (double percent : new double[] {0, 10, 50, 100}) {
            for (long runlength : new long[] {16 * M, 64 * 1024}) {
                for (long seed : new long[] {1, 4000000000L}) {
                    a.add(Arguments.of(16 * M, seed, percent, runlength, true));
                }
            }
        }
        a.add(
                Arguments.of(
                        16 * M + 4096 * 3 + 1000,
                        42L,
                        10.0,
                        64 * 1024L,
                        true)); // partial last block
        a.add(Arguments.of(32 * M + 7, 9L, 33.3, 100 * 1000L, false)); // repeated bytes
        a.add(Arguments.of(64 * M, 12L, 10.0, 4096L, false)); // one-block data runs
        return a.stream();
    }

    @ParameterizedTest(name = "size={0} seed={1} percent={2} runlength={3} random={4}")
    @MethodSource("disks")
    void sameBytesAndMapAsNbdkit(
            long size, long seed, double percent, long runlength, boolean random) throws Exception {
        Interop.requireAll("nbdkit", "nbdcopy", "nbdinfo");
        Path img = tmp.resolve("ref.img");
        Path map = tmp.resolve("ref.map");
        run(
                "nbdkit",
                "-U",
                "-",
                "sparse-random",
                "size=" + size,
                "seed=" + seed,
                "percent=" + percent,
                "runlength=" + runlength,
                "random-content=" + random,
                "--run",
                "nbdcopy \"$uri\" '" + img + "' && nbdinfo --map \"$uri\" > '" + map + "'");
        SparseRandomDisk d =
                SparseRandomDisk.create(
                        new DiskParams(
                                size, seed, percent, runlength, random, DiskParams.Model.NBDKIT));

        byte[] ref = Files.readAllBytes(img);
        assertEquals(size, ref.length);
        byte[] ours = SparseRandomDiskTest.read(d, 0, (int) size);
        int diff = java.util.Arrays.mismatch(ref, ours);
        assertEquals(-1, diff, () -> "first differing byte at " + diff);

        List<long[]> theirs = parseMap(Files.readAllLines(map, StandardCharsets.UTF_8));
        List<long[]> mine = SparseRandomDiskTest.extents(d, 0, size);
        assertEquals(theirs.size(), mine.size(), "number of extents");
        for (int i = 0; i < mine.size(); i++) {
            long[] t = theirs.get(i);
            long[] m = mine.get(i);
            assertEquals(t[0], m[0], "extent " + i + " start");
            assertEquals(t[1], m[1], "extent " + i + " end");
            assertEquals(t[2], m[2], "extent " + i + " type (1 = data)");
        }
    }

    /** Larger disks, map only: the chain over millions of blocks must flip where nbdkit's does. */
    @ParameterizedTest(name = "size={0} seed={1} percent={2} runlength={3}")
    @MethodSource("largeDisks")
    void sameMapAsNbdkitOnLargeDisks(long size, long seed, double percent, long runlength)
            throws Exception {
        Interop.requireAll("nbdkit", "nbdinfo");
        Path map = tmp.resolve("ref.map");
        run(
                "nbdkit",
                "-U",
                "-",
                "sparse-random",
                "size=" + size,
                "seed=" + seed,
                "percent=" + percent,
                "runlength=" + runlength,
                "--run",
                "nbdinfo --map \"$uri\" > '" + map + "'");
        SparseRandomDisk d =
                SparseRandomDisk.create(
                        new DiskParams(
                                size, seed, percent, runlength, false, DiskParams.Model.NBDKIT));
        List<long[]> theirs = parseMap(Files.readAllLines(map, StandardCharsets.UTF_8));
        List<long[]> mine = SparseRandomDiskTest.extents(d, 0, size);
        assertTrue(mine.size() > 50, "enough runs to mean something: " + mine.size());
        assertEquals(theirs.size(), mine.size(), "number of extents");
        for (int i = 0; i < mine.size(); i++) {
            assertTrue(java.util.Arrays.equals(theirs.get(i), mine.get(i)), "extent " + i);
        }
    }

    static Stream<Arguments> largeDisks() {
        return Stream.of(
                Arguments.of(64L << 30, 1L, 10.0, 16 * M),
                Arguments.of(4L << 30, 2024L, 10.0, M),
                Arguments.of((8L << 30) + 512, 77L, 75.5, 300_000L));
    }

    /** nbdinfo --map lines: offset length type description; as (start, end, data). */
    private static List<long[]> parseMap(List<String> lines) {
        List<long[]> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3) {
                continue;
            }
            long off = Long.parseLong(f[0]);
            long len = Long.parseLong(f[1]);
            int type = Integer.parseInt(f[2]);
            out.add(new long[] {off, off + len, (type & 1) == 0 ? 1 : 0});
        }
        assertTrue(!out.isEmpty(), "nbdinfo printed a map");
        return out;
    }

    private static void run(String... cmd) throws IOException {
        Programs.Result r = Programs.run(Duration.ofSeconds(60), cmd);
        if (r.exit() != 0) {
            fail(String.join(" ", cmd) + " exited " + r);
        }
    }
}
