package io.sparserandom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparserandom.generator.Shape;
import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs;
import io.sparserandom.testsupport.Programs.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shapes against the real tools: an ext4 image made by {@code mke2fs -d} from real files, learned
 * four ways, served at its size (its map must equal qemu-img's) and scaled to 1T (its statistics
 * must stay those of the image), and a built-in shape self-copied complete.
 */
class ShapeIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final long T1 = 1L << 40;

    @TempDir static Path dir;
    static Path image;
    static Path learned;

    @BeforeAll
    static void makeImage() throws IOException {
        Interop.requireAll("mke2fs", "qemu-img", "nbdinfo", "nbdkit");
        // A real tree of files: the JDK running this test.
        Path tree = Path.of(System.getProperty("java.home"));
        image = dir.resolve("ext4.img");
        Result r =
                Programs.run(
                        TIMEOUT,
                        "mke2fs",
                        "-q",
                        "-t",
                        "ext4",
                        "-F",
                        "-d",
                        tree.toString(),
                        image.toString(),
                        "2G");
        assertEquals(0, r.exit(), r.toString());
        learned = dir.resolve("ext4.shape");
        r = Cli.run(TIMEOUT, "learn", image.toString(), "-o", learned.toString());
        assertEquals(0, r.exit(), r.toString());
        Files.writeString(dir.resolve("q.json"), qemuMap());
    }

    /** (start, length, data?) of a qemu-img or nbdinfo JSON map. */
    private static List<long[]> map(String json) throws IOException {
        List<long[]> out = new ArrayList<>();
        for (JsonNode n : new ObjectMapper().readTree(json)) {
            boolean qemu = n.has("start");
            long start = n.path(qemu ? "start" : "offset").asLong();
            boolean data = qemu ? n.path("data").asBoolean() : (n.path("type").asInt() & 1) == 0;
            out.add(new long[] {start, n.path("length").asLong(), data ? 1 : 0});
        }
        return out;
    }

    private static String qemuMap() throws IOException {
        Result r =
                Programs.run(
                        TIMEOUT, "qemu-img", "map", "--output=json", "-f", "raw", image.toString());
        assertEquals(0, r.exit(), r.toString());
        return r.stdout();
    }

    /** nbdinfo --map --json of our disk with the given parameters. */
    private static List<long[]> ourMap(String... disk) throws IOException {
        Path out = dir.resolve("ours.json");
        List<String> args = new ArrayList<>(Arrays.asList(disk));
        args.addAll(List.of("--run", "nbdinfo --map --json \"$uri\" > " + out));
        Result r = Cli.run(TIMEOUT, args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.toString());
        return map(Files.readString(out));
    }

    @Test
    void atTheLearnedSizeNbdinfoSeesWhatQemuImgSeesInTheImage() throws IOException {
        List<long[]> want = map(qemuMap());
        List<long[]> got = ourMap("shape=" + learned, "seed=3");
        assertTrue(want.size() > 5, "a real file system has several runs: " + want.size());
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(Arrays.toString(want.get(i)), Arrays.toString(got.get(i)), "extent " + i);
        }
    }

    @Test
    void learningFromTheFileAnNbdUriAndTheJsonMapsGivesOneShape() throws IOException {
        Shape fromFile = Shape.read(learned);
        Path qjson = dir.resolve("q.json");
        Path njson = dir.resolve("n.json");
        Result r =
                Programs.run(
                        TIMEOUT,
                        "/bin/sh",
                        "-c",
                        "nbdinfo --map --json -- [ nbdkit file " + image + " ] > " + njson);
        assertEquals(0, r.exit(), r.toString());
        Path sock = dir.resolve("nbdkit.sock");
        Path[] sources = {qjson, njson};
        for (Path src : sources) {
            Path out = dir.resolve(src.getFileName() + ".shape");
            r = Cli.run(TIMEOUT, "learn", src.toString(), "-o", out.toString());
            assertEquals(0, r.exit(), r.toString());
            assertTrue(fromFile.sameRuns(Shape.read(out)), src.toString());
        }
        Path out = dir.resolve("nbd.shape.gz");
        r =
                Programs.run(
                        TIMEOUT,
                        "nbdkit",
                        "-r",
                        "-U",
                        sock.toString(),
                        "file",
                        image.toString(),
                        "--run",
                        "java --add-opens java.base/java.nio=ALL-UNNAMED"
                                + " -Dio.netty.tryReflectionSetAccessible=true -jar "
                                + Cli.jar()
                                + " learn \"$uri\" -o "
                                + out);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(fromFile.sameRuns(Shape.read(out)), "from nbdkit file over NBD");
    }

    private static List<long[]> runs(Shape s) {
        List<long[]> out = new ArrayList<>();
        long pos = 0;
        for (int i = 0; i < s.runCount(); i++) {
            out.add(new long[] {pos, s.length(i), s.state(i) == Shape.State.DATA ? 1 : 0});
            pos += s.length(i);
        }
        return out;
    }

    private static void assertSpread(List<long[]> want, long learned, List<long[]> got) {
        assertEquals(fraction(want, learned), fraction(got, T1), 1.0, "data fraction");
        double[] a = spread(want, learned);
        double[] b = spread(got, T1);
        for (int z = 0; z < 64; z++) {
            assertEquals(a[z], b[z], 2.0, "data share of 1/64 number " + z);
        }
    }

    @Test
    void scaledToOneTerabyteTheDataStaysWhereTheImageHasIt() throws IOException {
        Shape s = Shape.read(learned);
        assertSpread(runs(s), s.size(), ourMap("shape=" + learned, "size=1T", "seed=4"));
    }

    /**
     * The run lengths through nbdinfo's block status, on the built-in ext4 (46 runs, dense at the
     * start) and xfs (17 runs, four 4 GiB holes: the hardest to scale). ShapeLayoutTest checks
     * every built-in shape on the disk's own extents.
     */
    @Test
    void scaledToOneTerabyteTheRunLengthsStayTheImages() throws IOException {
        for (String name : new String[] {"ext4", "xfs"}) {
            Shape s = Shape.load(name);
            List<long[]> want = runs(s);
            List<long[]> got = ourMap("shape=" + name, "size=1T", "seed=4");
            assertSpread(want, s.size(), got);
            double ksData = ks(want, got, 1);
            double ksHole = ks(want, got, 0);
            assertTrue(ksData <= 0.05, name + ": KS distance of data runs " + ksData);
            assertTrue(ksHole <= 0.05, name + ": KS distance of holes " + ksHole);
        }
    }

    @Test
    void aBuiltInShapeSelfCopiesCompleteAtOneTerabyte() throws IOException {
        Interop.requireAll("nbdcopy", "qemu-img");
        Result r =
                Cli.run(
                        Duration.ofMinutes(15),
                        "shape=ext4",
                        "1T",
                        "seed=5",
                        "--check-complete",
                        "--run",
                        "nbdcopy \"$uri\" \"$uri\"");
        assertEquals(0, r.exit(), r.toString());
        // qemu-img is slower on holes; a smaller scale keeps the test bounded.
        r =
                Cli.run(
                        Duration.ofMinutes(15),
                        "shape=ext4",
                        "64G",
                        "seed=5",
                        "--check-complete",
                        "--run",
                        "qemu-img convert -n -f raw -O raw \"$nbd\" \"$nbd\"");
        assertEquals(0, r.exit(), r.toString());
    }

    @Test
    void allocatedZeroesAreReportedAndCountLikeHoles() throws IOException {
        Interop.require("nbdcopy");
        Path shape = dir.resolve("z.shape");
        Files.writeString(
                shape,
                "sparse-random-shape 1\nsize 1073741824\nunit 4096\nruns 6\n"
                        + "d256 z512 h1024 d10 z100000 h160342\n");
        Path verdict = dir.resolve("z.json");
        Result r =
                Cli.run(
                        TIMEOUT,
                        "shape=" + shape,
                        "--check-complete",
                        "--verdict",
                        verdict.toString(),
                        "--run",
                        "nbdinfo --map \"$uri\" && nbdcopy \"$uri\" \"$uri\"");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("zero"), r.stdout());
        JsonNode v = new ObjectMapper().readTree(verdict.toFile());
        assertEquals(100512L * 4096, v.path("allocated_zero_bytes").asLong());
        assertEquals(0, v.path("allocated_zero_left_alone").asLong(), v.toString());
        assertEquals(266L * 4096, v.path("data_bytes_expected").asLong());
    }

    @Test
    void shapeWithPercentOrRunlengthIsAUsageError() throws IOException {
        for (String bad : new String[] {"percent=5", "runlength=1M", "compat=nbdkit"}) {
            Result r = Cli.run(TIMEOUT, "shape=ext4", bad, "--run", "true");
            assertEquals(2, r.exit(), r.toString());
            assertTrue(r.stderr().lines().count() == 1, r.stderr());
        }
        Result r = Cli.run(TIMEOUT, "learn", dir.resolve("q.json").toString(), "--zeroes");
        assertEquals(2, r.exit(), r.toString());
    }

    static double fraction(List<long[]> map, long size) {
        long n = 0;
        for (long[] e : map) {
            n += e[2] == 1 ? e[1] : 0;
        }
        return 100.0 * n / size;
    }

    static double[] spread(List<long[]> map, long size) {
        double[] share = new double[64];
        for (long[] e : map) {
            if (e[2] != 1) {
                continue;
            }
            for (int z = 0; z < 64; z++) {
                long zs = size / 64 * z;
                long ze = z == 63 ? size : size / 64 * (z + 1);
                long a = Math.max(zs, e[0]);
                long b = Math.min(ze, e[0] + e[1]);
                if (a < b) {
                    share[z] += 100.0 * (b - a) / (ze - zs);
                }
            }
        }
        return share;
    }

    /** Kolmogorov-Smirnov distance between the run lengths of one kind (1 data, 0 hole). */
    static double ks(List<long[]> a, List<long[]> b, int kind) {
        long[] x = a.stream().filter(e -> e[2] == kind).mapToLong(e -> e[1]).sorted().toArray();
        long[] y = b.stream().filter(e -> e[2] == kind).mapToLong(e -> e[1]).sorted().toArray();
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < x.length && j < y.length) {
            long v = Math.min(x[i], y[j]);
            while (i < x.length && x[i] <= v) {
                i++;
            }
            while (j < y.length && y[j] <= v) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
        }
        return d;
    }
}
