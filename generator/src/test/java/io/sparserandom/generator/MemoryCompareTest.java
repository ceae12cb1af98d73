package io.sparserandom.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The comparison primitives against a byte-by-byte oracle: every length around the stride and the
 * long size, a wrong byte at every position near the edges, on heap, direct and read-only views
 * that start at an odd index.
 */
class MemoryCompareTest {
    private static final int STRIDE = MemoryCompare.STRIDE;

    /** Bytes before the compared range, so ranges start at an unaligned index. */
    private static final int LEAD = 3;

    enum Kind {
        HEAP,
        DIRECT,
        READ_ONLY_HEAP,
        DIRECT_WITHOUT_ADDRESS
    }

    /** A view holding {@code LEAD} junk bytes then {@code bytes}, and its address (0 for none). */
    private record View(ByteBuffer buffer, long address) {}

    private static View view(Kind kind, byte[] bytes) {
        byte[] all = new byte[LEAD + bytes.length];
        Arrays.fill(all, 0, LEAD, (byte) 0x5a);
        System.arraycopy(bytes, 0, all, LEAD, bytes.length);
        return switch (kind) {
            case HEAP -> new View(ByteBuffer.wrap(all), 0);
            case READ_ONLY_HEAP -> new View(ByteBuffer.wrap(all).asReadOnlyBuffer(), 0);
            case DIRECT, DIRECT_WITHOUT_ADDRESS -> {
                ByteBuffer d = ByteBuffer.allocateDirect(all.length);
                d.put(all).clear();
                yield new View(d, kind == Kind.DIRECT ? MemoryCompare.addressOf(d) : 0);
            }
        };
    }

    /** Lengths around every edge the code has: a long, the stride, twice the stride, a block. */
    private static int[] lengths() {
        return new int[] {
            1,
            2,
            7,
            8,
            9,
            15,
            17,
            STRIDE - 1,
            STRIDE,
            STRIDE + 1,
            2 * STRIDE - 1,
            2 * STRIDE,
            2 * STRIDE + 1,
            3 * STRIDE + 5,
            4095,
            4096,
            4097,
            10_001
        };
    }

    /**
     * Positions to spoil: each of the first and last few, one per long of the first lines, and
     * around the stride.
     */
    private static int[] positions(int n) {
        return java.util.stream.IntStream.range(0, n)
                .filter(
                        i ->
                                i < 10
                                        || i >= n - 10
                                        // every long of the first cache lines (allEqual
                                        // reads eight of them per step)
                                        || i < 2 * STRIDE && i % 8 == 5
                                        || Math.abs(i - STRIDE) <= 2
                                        || Math.abs(i - 2 * STRIDE) <= 2
                                        || i % 997 == 0)
                .toArray();
    }

    private static long oracleNotUniform(byte[] b, int value) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] != (byte) value) {
                return i;
            }
        }
        return -1;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void firstNotUniformFindsEveryWrongByte(Kind kind) {
        for (int value : new int[] {0, 1, 0x80, 0xff}) {
            for (int n : lengths()) {
                byte[] b = new byte[n];
                Arrays.fill(b, (byte) value);
                View v = view(kind, b);
                assertEquals(
                        -1,
                        MemoryCompare.firstNotUniform(v.buffer(), v.address(), LEAD, n, value),
                        kind + " uniform n=" + n + " value=" + value);
                for (int p : positions(n)) {
                    byte[] bad = b.clone();
                    bad[p] ^= (byte) (p % 2 == 0 ? 1 : 0x80);
                    if (p + 1 < n) {
                        bad[n - 1] ^= 2; // a second wrong byte later: the first is reported
                    }
                    View w = view(kind, bad);
                    assertEquals(
                            oracleNotUniform(bad, value),
                            MemoryCompare.firstNotUniform(w.buffer(), w.address(), LEAD, n, value),
                            kind + " n=" + n + " wrong at " + p + " value=" + value);
                }
            }
        }
    }

    @Test
    void firstNotUniformOnArrays() {
        for (int n : lengths()) {
            byte[] a = new byte[n + 2 * LEAD];
            Arrays.fill(a, (byte) 7);
            assertEquals(-1, MemoryCompare.firstNotUniform(a, LEAD, n, 7));
            for (int p : positions(n)) {
                byte[] bad = a.clone();
                bad[LEAD + p] = 8;
                assertEquals(
                        p, MemoryCompare.firstNotUniform(bad, LEAD, n, 7), "n=" + n + " at " + p);
            }
            // bytes outside the range do not count
            byte[] outside = a.clone();
            outside[LEAD - 1] = 0;
            outside[LEAD + n] = 0;
            assertEquals(-1, MemoryCompare.firstNotUniform(outside, LEAD, n, 7));
        }
    }

    @Test
    void allEqualChecksEveryByteOfDirectMemory() {
        for (int n : lengths()) {
            ByteBuf d = Unpooled.directBuffer(n + LEAD);
            try {
                d.writeZero(LEAD);
                for (int i = 0; i < n; i++) {
                    d.writeByte(0xab);
                }
                ByteBuffer nio = d.nioBuffer(0, n + LEAD);
                long address = MemoryCompare.addressOf(nio);
                assertNotEquals(0, address, "the test JVM reads direct memory by address");
                assertTrue(MemoryCompare.allEqual(address + LEAD, n, 0xab));
                assertFalse(
                        MemoryCompare.allEqual(address + LEAD - 1, n, 0xab),
                        "the junk byte before");
                for (int p : positions(n)) {
                    d.setByte(LEAD + p, 0xaa);
                    assertFalse(
                            MemoryCompare.allEqual(address + LEAD, n, 0xab), "n=" + n + " at " + p);
                    d.setByte(LEAD + p, 0xab);
                }
            } finally {
                d.release();
            }
        }
    }

    /** A view's position and limit, as left by an earlier comparison, do not matter. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void positionAndLimitAreIgnored(Kind kind) {
        byte[] b = new byte[3 * STRIDE + 10];
        b[2 * STRIDE + 7] = 1;
        View v = view(kind, b);
        v.buffer().position(5).limit(6);
        assertEquals(
                2 * STRIDE + 7,
                MemoryCompare.firstNotUniform(v.buffer(), v.address(), LEAD, b.length, 0));
        v.buffer().position(5).limit(6);
        ByteBuffer expected = ByteBuffer.wrap(new byte[b.length]).position(1).limit(2);
        assertEquals(
                2 * STRIDE + 7,
                MemoryCompare.firstDifference(v.buffer(), LEAD, expected, 0, b.length));
    }

    @Test
    void addressOfIsZeroForHeapViews() {
        assertEquals(0, MemoryCompare.addressOf(ByteBuffer.wrap(new byte[8])));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void firstDifferenceFindsEveryWrongByte(Kind kind) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        byte[] pool = new byte[3 * 4096];
        r.nextBytes(pool);
        ByteBuffer expected = ByteBuffer.wrap(pool);
        for (int n : lengths()) {
            int from = n >= pool.length ? 0 : r.nextInt(pool.length - n);
            byte[] same = Arrays.copyOfRange(pool, from, from + n);
            View v = view(kind, same);
            assertEquals(
                    -1,
                    MemoryCompare.firstDifference(v.buffer(), LEAD, expected, from, n),
                    kind + " n=" + n);
            for (int p : positions(n)) {
                byte[] bad = same.clone();
                bad[p] ^= 0x10;
                View w = view(kind, bad);
                assertEquals(
                        p,
                        MemoryCompare.firstDifference(w.buffer(), LEAD, expected, from, n),
                        kind + " n=" + n + " wrong at " + p);
            }
        }
    }
}
