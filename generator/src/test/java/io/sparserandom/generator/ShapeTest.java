package io.sparserandom.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.generator.Shape.State;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shape file format: round trips, its size for a million runs, and bad files. */
class ShapeTest {

    private static byte[] write(Shape s, boolean gzip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (gzip) {
            try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
                s.write(z);
            }
        } else {
            s.write(bytes);
        }
        return bytes.toByteArray();
    }

    private static Shape read(String text) throws IOException {
        return Shape.read(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), "t.shape");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void roundTrips(boolean gzip) throws IOException {
        Shape s = ShapeLayoutTest.randomShape(9, 1000, true);
        Shape back = Shape.read(new ByteArrayInputStream(write(s, gzip)), "x");
        assertTrue(s.sameRuns(back));
        assertEquals("test", back.source());
        assertEquals("random", back.method());
    }

    @Test
    void oddSizesUseASmallerUnit() throws IOException {
        Shape s = new Shape.Builder("t", "m").add(State.DATA, 4096).add(State.HOLE, 513).build();
        Shape back = Shape.read(new ByteArrayInputStream(write(s, false)), "x");
        assertTrue(s.sameRuns(back));
        assertEquals(4609, back.size());
    }

    @Test
    void aMillionRunsOfATerabyteFitInAFewMegabytes() throws IOException {
        // 1 TiB in a million runs: mean run 1 MiB, lengths spread over 4 KiB..64 MiB.
        Random r = new Random(1);
        Shape.Builder b = new Shape.Builder("t", "m");
        for (int i = 0; i < 1_000_000; i++) {
            b.add(i % 2 == 0 ? State.DATA : State.HOLE, 4096L * (1 + r.nextInt(511)));
        }
        Shape s = b.build();
        int plain = write(s, false).length;
        int gz = write(s, true).length;
        assertTrue(plain < 6_000_000, "plain " + plain);
        assertTrue(gz < 3_000_000, "gzip " + gz);
    }

    @Test
    void badFilesGiveOneLineNamingTheProblem() {
        String head = "sparse-random-shape 1\nsize 8192\nunit 4096\nruns 2\n";
        assertEquals(
                "t.shape: not a shape file (the first line must be 'sparse-random-shape 1')",
                assertThrows(IOException.class, () -> read("hello\n")).getMessage());
        assertEquals(
                "t.shape: the runs add up to 4096 bytes, not size 8192",
                assertThrows(IOException.class, () -> read(head + "d1\n")).getMessage());
        assertEquals(
                "t.shape:5: bad run 'x1'",
                assertThrows(IOException.class, () -> read(head + "d1 x1\n")).getMessage());
        assertEquals(
                "t.shape:5: bad run length 'd0'",
                assertThrows(IOException.class, () -> read(head + "d0 h2\n")).getMessage());
        assertEquals(
                "t.shape:2: size 'x' is not a number",
                assertThrows(IOException.class, () -> read("sparse-random-shape 1\nsize x\n"))
                        .getMessage());
        assertEquals(
                "t.shape: no runs", assertThrows(IOException.class, () -> read(head)).getMessage());
    }

    @Test
    void unknownNamesListTheBuiltIns() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Shape.load("/no/such/file"));
        assertTrue(e.getMessage().startsWith("shape: '/no/such/file' is neither"), e.getMessage());
    }
}
