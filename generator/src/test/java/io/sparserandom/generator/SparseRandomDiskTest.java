package io.sparserandom.generator;

import static io.sparserandom.generator.DiskParams.Model.DEFAULT;
import static io.sparserandom.generator.DiskParams.Model.NBDKIT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sparserandom.device.IoFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SparseRandomDiskTest {
    static final long M = 1L << 20;

    static Stream<Arguments> flavours() {
        List<Arguments> a = new ArrayList<>();
        for (DiskParams.Model model : DiskParams.Model.values()) {
            for (boolean random : new boolean[] {false, true}) {
                // 50 % with short runs, and a size that is not a multiple of 4096
                a.add(Arguments.of(new DiskParams(8 * M + 1234, 7, 50, 16384, random, model)));
            }
        }
        return a.stream();
    }

    static byte[] read(SparseRandomDisk d, long offset, int length) {
        ByteBuf b = Unpooled.buffer(length);
        d.read(offset, length, b);
        assertEquals(length, b.readableBytes());
        byte[] out = new byte[length];
        b.readBytes(out);
        return out;
    }

    /** Extents over [offset, offset+length) as (start, end, data) triples, clipped. */
    static List<long[]> extents(SparseRandomDisk d, long offset, long length) {
        List<long[]> out = new ArrayList<>();
        long[] pos = {offset};
        long end = offset + length;
        while (pos[0] < end) {
            d.extents(
                    pos[0],
                    end - pos[0],
                    (len, type) -> {
                        assertTrue(len > 0);
                        long e = Math.min(end, pos[0] + len);
                        out.add(new long[] {pos[0], e, (type & IoFlags.EXTENT_HOLE) == 0 ? 1 : 0});
                        if ((type & IoFlags.EXTENT_HOLE) != 0) {
                            assertEquals(IoFlags.EXTENT_HOLE | IoFlags.EXTENT_ZERO, type);
                        }
                        pos[0] = e;
                        return e < end;
                    });
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("flavours")
    void deterministicAcrossInstances(DiskParams p) {
        byte[] a = read(SparseRandomDisk.create(p), 0, (int) p.size());
        byte[] b = read(SparseRandomDisk.create(p), 0, (int) p.size());
        assertArrayEquals(a, b);
        DiskParams other =
                new DiskParams(
                        p.size(),
                        p.seed() + 1,
                        p.percent(),
                        p.runlength(),
                        p.randomContent(),
                        p.model());
        assertFalse(
                java.util.Arrays.equals(a, read(SparseRandomDisk.create(other), 0, (int) p.size())),
                "another seed gives another disk");
    }

    @ParameterizedTest
    @MethodSource("flavours")
    void alignmentIndependent(DiskParams p) {
        SparseRandomDisk d = SparseRandomDisk.create(p);
        byte[] whole = read(d, 0, (int) p.size());
        SplittableRandom rnd = new SplittableRandom(3);
        byte[] pieces = new byte[whole.length];
        int pos = 0;
        while (pos < whole.length) {
            int n = Math.min(whole.length - pos, 1 + rnd.nextInt(rnd.nextBoolean() ? 100 : 20000));
            System.arraycopy(read(d, pos, n), 0, pieces, pos, n);
            pos += n;
        }
        assertArrayEquals(whole, pieces);
    }

    @ParameterizedTest
    @MethodSource("flavours")
    void extentsAgreeWithRead(DiskParams p) {
        SparseRandomDisk d = SparseRandomDisk.create(p);
        byte[] whole = read(d, 0, (int) p.size());
        List<long[]> ext = extents(d, 0, p.size());
        assertTrue(ext.size() > 10, "50 % with short runs has many runs");
        long expect = 0;
        long prevType = -1;
        for (long[] e : ext) {
            assertEquals(expect, e[0], "contiguous");
            assertNotEquals(prevType, e[2], "neighbours merged");
            prevType = e[2];
            for (long off = e[0]; off < e[1]; off += 4096) {
                assertEquals(e[2] == 1, d.isData(off));
                int end = (int) Math.min(e[1], (off & -4096) + 4096);
                boolean allZero = true;
                for (int i = (int) off; i < end; i++) {
                    allZero &= whole[i] == 0;
                }
                if (e[2] == 0) {
                    assertTrue(allZero, "hole reads as zero at " + off);
                } else if (!p.randomContent()) {
                    assertFalse(allZero, "data block is non-zero at " + off);
                }
            }
            expect = e[1];
        }
        assertEquals(p.size(), expect);
        // Asking from inside a run reports the rest of that same run.
        long[] run = ext.get(ext.size() / 2);
        long mid = run[0] + (run[1] - run[0]) / 2;
        List<long[]> fromMid = extents(d, mid, p.size() - mid);
        assertEquals(run[1], fromMid.get(0)[1]);
        assertEquals(run[2], fromMid.get(0)[2]);
    }

    @ParameterizedTest
    @MethodSource("flavours")
    void mismatchAgreesWithRead(DiskParams p) {
        SparseRandomDisk d = SparseRandomDisk.create(p);
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 200; i++) {
            int len = 1 + rnd.nextInt(rnd.nextBoolean() ? 300 : 70000);
            long off = rnd.nextLong(p.size() - len + 1);
            byte[] good = read(d, off, len);
            assertEquals(-1, d.mismatch(off, Unpooled.wrappedBuffer(good)));
            int at = rnd.nextInt(len);
            byte[] bad = good.clone();
            bad[at] ^= (byte) (1 << rnd.nextInt(8));
            ByteBuf buf = Unpooled.wrappedBuffer(bad);
            assertEquals(off + at, d.mismatch(off, buf), "flipped byte found at its offset");
            assertEquals(0, buf.readerIndex(), "indexes unchanged");
            assertEquals(len, buf.readableBytes());
            // Direct memory is checked by address first: the same answers.
            ByteBuf direct =
                    Unpooled.directBuffer(len + 3).writeZero(3).writeBytes(good).readerIndex(3);
            assertEquals(-1, d.mismatch(off, direct));
            direct.setBytes(3, bad);
            assertEquals(
                    off + at,
                    d.mismatch(off, direct),
                    "flipped byte found at its offset in direct memory");
            direct.release();
        }
        // A non-zero reader index is honoured, and the whole disk matches itself.
        byte[] all = read(d, 0, (int) p.size());
        ByteBuf shifted =
                Unpooled.buffer(all.length + 5).writerIndex(5).writeBytes(all).readerIndex(5);
        assertEquals(-1, d.mismatch(0, shifted));
        shifted.setByte(5 + all.length - 1, all[all.length - 1] ^ 1);
        assertEquals(p.size() - 1, d.mismatch(0, shifted));
    }

    @ParameterizedTest
    @MethodSource("flavours")
    void mismatchOnDirectAndCompositeBuffers(DiskParams p) {
        SparseRandomDisk d = SparseRandomDisk.create(p);
        long off = 4096 * 37 + 17;
        int len = 300_000;
        byte[] good = read(d, off, len);
        ByteBuf direct = Unpooled.directBuffer(len).writeBytes(good);
        io.netty.buffer.CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponent(true, Unpooled.wrappedBuffer(good, 0, 1000));
        composite.addComponent(true, Unpooled.directBuffer().writeBytes(good, 1000, len - 1000));
        // Socket-sized pieces that split blocks anywhere: the expected bytes are generated for
        // the whole write, not piece by piece.
        io.netty.buffer.CompositeByteBuf pieces = Unpooled.compositeBuffer(64);
        for (int at = 0, n = 5000; at < len; at += n, n = n * 3 / 2 + 7) {
            pieces.addComponent(
                    true, Unpooled.directBuffer().writeBytes(good, at, Math.min(n, len - at)));
        }
        for (ByteBuf b : new ByteBuf[] {direct, composite, pieces}) {
            assertEquals(-1, d.mismatch(off, b));
            for (int at : new int[] {0, 999, 1000, 4999, 5000, 12_506, 123_457, len - 1}) {
                byte old = b.getByte(at);
                b.setByte(at, old ^ 0x40);
                assertEquals(off + at, d.mismatch(off, b), "at " + at);
                b.setByte(at, old);
            }
            b.release();
        }
    }

    static Stream<Arguments> extremes() {
        return Stream.of(
                Arguments.of(new DiskParams(1L << 50, 1, 1e-12, 4096, false, DEFAULT)),
                Arguments.of(new DiskParams(1L << 50, 1, 99.999, 1L << 30, false, DEFAULT)),
                Arguments.of(new DiskParams(1L << 50, 1, 50, 1, false, DEFAULT)),
                Arguments.of(new DiskParams(1L << 50, 1, 90, 4096, true, DEFAULT)),
                Arguments.of(new DiskParams(Long.MAX_VALUE, 1, 10, Long.MAX_VALUE, false, DEFAULT)),
                Arguments.of(
                        new DiskParams(Long.MAX_VALUE, 0xffffffffL, 0.5, 1L << 50, true, DEFAULT)),
                Arguments.of(new DiskParams(64 * M, 1, 50, 1, false, NBDKIT)),
                Arguments.of(new DiskParams(64 * M, 1, 99.9, Long.MAX_VALUE, false, NBDKIT)));
    }

    /** Odd parameters: runs stay consistent between extents, isData, read and mismatch. */
    @ParameterizedTest
    @MethodSource("extremes")
    void extremeParametersStayConsistent(DiskParams p) {
        SparseRandomDisk d = SparseRandomDisk.create(p);
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 20; i++) {
            long off = rnd.nextLong(p.size() - 8 * M);
            List<long[]> ext = extents(d, off, 4 * M);
            for (long[] e : ext) {
                assertEquals(e[2] == 1, d.isData(e[0]));
                assertEquals(e[2] == 1, d.isData(e[1] - 1));
            }
            byte[] b = read(d, off, 300_000);
            assertEquals(-1, d.mismatch(off, Unpooled.wrappedBuffer(b)));
            if (!d.isData(off)) {
                assertEquals(0, b[0]);
            }
        }
    }

    @Test
    void describeExpected() {
        SparseRandomDisk d =
                SparseRandomDisk.create(new DiskParams(8 * M, 7, 50, 16384, false, NBDKIT));
        long data = firstOf(d, true);
        long hole = firstOf(d, false);
        assertEquals(
                String.format("0x%02x x4096", read(d, data, 1)[0] & 0xff),
                d.describeExpected(data, 4096));
        assertTrue(
                d.describeExpected(hole, 4096).startsWith("zeroes x4096"),
                d.describeExpected(hole, 4096));
        SparseRandomDisk r =
                SparseRandomDisk.create(new DiskParams(8 * M, 7, 50, 16384, true, DEFAULT));
        assertTrue(r.describeExpected(firstOf(r, true), 10).startsWith("random bytes x10"));
    }

    static long firstOf(SparseRandomDisk d, boolean data) {
        for (long off = 0; off < d.size(); off += 4096) {
            if (d.isData(off) == data) {
                return off;
            }
        }
        throw new AssertionError("no " + (data ? "data" : "hole"));
    }

    @Test
    void percentZeroAndHundred() {
        for (DiskParams.Model m : DiskParams.Model.values()) {
            SparseRandomDisk holes =
                    SparseRandomDisk.create(new DiskParams(1L << 40, 1, 0, 4096, false, m));
            List<long[]> e = extents(holes, 0, holes.size());
            assertEquals(1, e.size());
            assertEquals(0, e.get(0)[2]);
            assertArrayEquals(new byte[5000], read(holes, 123456789, 5000));
            SparseRandomDisk full =
                    SparseRandomDisk.create(new DiskParams(1L << 40, 1, 100, 4096, true, m));
            e = extents(full, 5, full.size() - 5);
            assertEquals(1, e.size());
            assertEquals(1, e.get(0)[2]);
        }
    }

    /** How fast this is: benchmarks' StartupBenchmark, and bench/startup.sh end to end. */
    @Test
    void hugeSizesReadNearTheEnd() {
        long[] sizes = {1L << 40, 1L << 50, 4L << 60, Long.MAX_VALUE};
        for (long size : sizes) {
            for (boolean random : new boolean[] {false, true}) {
                SparseRandomDisk d =
                        SparseRandomDisk.create(
                                new DiskParams(size, 99, 10, 16 * M, random, DEFAULT));
                byte[] tail = read(d, size - 100_000, 100_000);
                byte[] again = read(d, size - 100_000, 100_000);
                assertArrayEquals(tail, again);
                List<long[]> e = extents(d, size - 100 * M, 100 * M);
                assertEquals(size, e.get(e.size() - 1)[1]);
            }
        }
    }

    @Test
    void partialLastBlock() {
        for (DiskParams.Model m : DiskParams.Model.values()) {
            long size = 64 * 4096 + 100;
            SparseRandomDisk d =
                    SparseRandomDisk.create(new DiskParams(size, 5, 100, 4096, false, m));
            byte[] last = read(d, size - 100, 100);
            byte v = last[0];
            assertNotEquals(0, v);
            for (byte b : last) {
                assertEquals(v, b);
            }
            List<long[]> e = extents(d, size - 50, 50);
            assertEquals(size, e.get(0)[1]);
            assertEquals(-1, d.mismatch(size - 100, Unpooled.wrappedBuffer(last)));
            // a byte past the end never matches
            ByteBuf longer = Unpooled.buffer().writeBytes(last).writeByte(v);
            assertEquals(size, d.mismatch(size - 100, longer));
        }
    }

    /** Pins the default model's content and layout so an accidental change is noticed. */
    @Test
    void defaultModelGoldenBytes() {
        SparseRandomDisk d =
                SparseRandomDisk.create(new DiskParams(1L << 30, 1, 10, M, false, DEFAULT));
        SparseRandomDisk r =
                SparseRandomDisk.create(new DiskParams(1L << 30, 1, 10, M, true, DEFAULT));
        long data = firstOf(d, true);
        assertEquals(GOLDEN_FIRST_DATA, data);
        assertEquals(GOLDEN_BYTE, read(d, data, 1)[0] & 0xff);
        assertEquals(GOLDEN_RANDOM, java.util.HexFormat.of().formatHex(read(r, data, 16)));
        // random content: 8 bytes little-endian per xoshiro256** output of the block hash
        Xoshiro256 x =
                new Xoshiro256(
                        Xoshiro256.mix64(
                                Xoshiro256.mix64(1 ^ 0xc0417e47c0417e47L)
                                        + (data >>> 12) * Xoshiro256.GOLDEN));
        long first = x.next();
        byte[] b = read(r, data, 8);
        for (int i = 0; i < 8; i++) {
            assertEquals((byte) (first >>> (8 * i)), b[i]);
        }
    }

    static final long GOLDEN_FIRST_DATA = 12443648;
    static final int GOLDEN_BYTE = 201;
    static final String GOLDEN_RANDOM = "ba2dc99109c366529d6cacc393d570df";
}
