package io.sparserandom.generator;

import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Finding the first wrong byte of a written payload, the hot loop of verification. Views are NIO
 * buffers addressed by absolute index from 0 to their capacity: their position and limit are
 * ignored (and moved where a method says so).
 *
 * <p>Checking that a range holds one value (a hole, a repeated-byte block) needs no expected bytes
 * as long as the range itself: compare the first {@link #STRIDE} bytes with the value, then the
 * range with itself {@code STRIDE} bytes further on. If {@code view[at+i] != view[at+STRIDE+i]}
 * first at {@code i}, every byte before {@code STRIDE+i} equals the value and that one does not.
 * Direct memory is first checked a long at a time by address ({@link #allEqual}), which JDK 17 runs
 * faster than {@code ByteBuffer.mismatch} on direct buffers; the slower search for the exact index
 * only runs when that finds a difference.
 */
final class MemoryCompare {
    /** How far apart the bytes are that the self-comparison compares: one cache line. */
    static final int STRIDE = 64;

    /** Direct memory can be read by address (Netty found Unsafe). */
    private static final boolean UNSAFE_READS = PlatformDependent.hasUnsafe();

    private MemoryCompare() {}

    /** The native address of a direct view's index 0, or 0 when it cannot be read by address. */
    static long addressOf(ByteBuffer view) {
        return view.isDirect() && UNSAFE_READS ? PlatformDependent.directBufferAddress(view) : 0;
    }

    /**
     * Whether the {@code n} bytes of native memory at {@code address} all hold {@code value}, read
     * a long at a time. It only says whether; {@link #firstNotUniform} finds where.
     */
    static boolean allEqual(long address, int n, int value) {
        long pattern = (value & 0xffL) * 0x0101010101010101L;
        // A cache line per iteration in two chains: C1, which runs the copies of small disks,
        // does not unroll loops, and this ran 1.7 times as fast as a long per iteration under it
        // (27 against 16 GB/s on a 256 KiB payload; C2 30 against 28).
        long d0 = 0;
        long d1 = 0;
        long end = address + (n & -64L);
        for (long p = address; p < end; p += 64) {
            d0 |=
                    (PlatformDependent.getLong(p) ^ pattern)
                            | (PlatformDependent.getLong(p + 8) ^ pattern)
                            | (PlatformDependent.getLong(p + 16) ^ pattern)
                            | (PlatformDependent.getLong(p + 24) ^ pattern);
            d1 |=
                    (PlatformDependent.getLong(p + 32) ^ pattern)
                            | (PlatformDependent.getLong(p + 40) ^ pattern)
                            | (PlatformDependent.getLong(p + 48) ^ pattern)
                            | (PlatformDependent.getLong(p + 56) ^ pattern);
        }
        long diff = d0 | d1;
        int i = n & -64;
        for (; i <= n - Long.BYTES; i += Long.BYTES) {
            diff |= PlatformDependent.getLong(address + i) ^ pattern;
        }
        for (; i < n; i++) {
            diff |= (PlatformDependent.getByte(address + i) ^ value) & 0xff;
        }
        return diff == 0;
    }

    /**
     * The first index {@code i} in {@code [0, n)} where {@code view[at + i]} is not {@code value}
     * (0..255), or -1. {@code address} is {@link #addressOf} the view (0 for none).
     */
    static long firstNotUniform(ByteBuffer view, long address, int at, int n, int value) {
        if (address != 0 && allEqual(address + at, n, value)) {
            return -1;
        }
        if (view.hasArray()) {
            return firstNotUniform(view.array(), view.arrayOffset() + at, n, value);
        }
        ByteBuffer all =
                view.duplicate().clear(); // absolute reads check the limit, which others move
        int head = n <= 2 * STRIDE ? n : STRIDE;
        for (int i = 0; i < head; i++) {
            if (all.get(at + i) != (byte) value) {
                return i;
            }
        }
        if (head == n) {
            return -1;
        }
        ByteBuffer a = all.position(at).limit(at + n - STRIDE);
        ByteBuffer shifted = view.duplicate().clear().position(at + STRIDE).limit(at + n);
        long i = a.mismatch(shifted);
        return i < 0 ? -1 : STRIDE + i;
    }

    /** {@link #firstNotUniform(ByteBuffer, long, int, int, int)} for {@code a[from, from + n)}. */
    static long firstNotUniform(byte[] a, int from, int n, int value) {
        byte[] expected = SharedBlocks.repeated(value);
        if (n <= 2 * STRIDE) {
            return Arrays.mismatch(a, from, from + n, expected, 0, n);
        }
        int i = Arrays.mismatch(a, from, from + STRIDE, expected, 0, STRIDE);
        if (i >= 0) {
            return i;
        }
        i = Arrays.mismatch(a, from, from + n - STRIDE, a, from + STRIDE, from + n);
        return i < 0 ? -1 : STRIDE + i;
    }

    /**
     * The first index {@code i} in {@code [0, n)} where {@code view[at + i] != expected[from + i]},
     * or -1. Moves the position and limit of both views (callers keep them private to a thread).
     */
    static long firstDifference(ByteBuffer view, int at, ByteBuffer expected, int from, int n) {
        expected.clear().position(from).limit(from + n);
        view.clear().position(at).limit(at + n);
        return view.mismatch(expected);
    }
}
