package io.sparserandom.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The vector fill of compat random content is byte for byte the one-block-at-a-time fill. */
class LaneFillTest {
    private static final int BLOCK = SparseRandomDisk.BLOCK_SIZE;

    @Test
    void theTestJvmHasTheVectorModule() {
        // surefire adds --add-modules jdk.incubator.vector, as the launcher does for compat random
        // content; without it the vector path below would never run in the build.
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        assertTrue(LaneFill.lanes() >= 2, "lanes: " + LaneFill.lanes());
    }

    @Test
    void laneFillEqualsTheScalarFill() {
        ContentModel model = new NbdkitContentModel(77);
        int lanes = LaneFill.lanes();
        long first = 5L * BLOCK;
        long[][] s = new long[4][lanes];
        for (int k = 0; k < lanes; k++) {
            new Xoshiro256(77 + first + (long) k * BLOCK).stateInto(s[0], s[1], s[2], s[3], k);
        }
        byte[] vector = new byte[lanes * BLOCK];
        LaneFill.fill(s[0], s[1], s[2], s[3], vector, new long[lanes * BLOCK / Long.BYTES]);
        byte[] scalar = new byte[lanes * BLOCK];
        for (int k = 0; k < lanes; k++) {
            model.fillBlock(first + (long) k * BLOCK, scalar, k * BLOCK);
        }
        assertArrayEquals(scalar, vector);
    }

    @Test
    void wordFillEqualsTheScalarFill() {
        ContentModel model = new DefaultContentModel(77);
        int lanes = LaneFill.lanes();
        long first = 9L * BLOCK;
        long[][] s = new long[4][lanes];
        for (int k = 0; k < lanes; k++) {
            new Xoshiro256(model.blockSeed(first + (long) k * BLOCK))
                    .stateInto(s[0], s[1], s[2], s[3], k);
        }
        byte[] vector = new byte[lanes * BLOCK];
        LaneFill.fillWords(s[0], s[1], s[2], s[3], vector, new long[lanes * BLOCK / Long.BYTES]);
        byte[] scalar = new byte[lanes * BLOCK];
        for (int k = 0; k < lanes; k++) {
            model.fillBlock(first + (long) k * BLOCK, scalar, k * BLOCK);
        }
        assertArrayEquals(scalar, vector);
    }

    /** A long read (vector fill when available) equals the same bytes read one block at a time. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(DiskParams.Model.class)
    void longReadsEqualBlockByBlockReads(DiskParams.Model model) {
        SparseRandomDisk disk =
                SparseRandomDisk.create(new DiskParams(64L << 20, 3, 100, 16 << 20, true, model));
        int length = 40 * BLOCK + 123;
        long offset = 7L * BLOCK + 11;
        ByteBuf whole = Unpooled.buffer(length);
        disk.read(offset, length, whole);
        byte[] pieces = new byte[length];
        for (int at = 0; at < length; at += BLOCK) {
            int n = Math.min(BLOCK, length - at);
            ByteBuf one = Unpooled.buffer(n);
            disk.read(offset + at, n, one);
            one.readBytes(pieces, at, n);
        }
        byte[] got = new byte[length];
        whole.readBytes(got);
        assertArrayEquals(pieces, got);
        assertEquals(-1, disk.mismatch(offset, Unpooled.wrappedBuffer(got)));
        byte[] bad = Arrays.copyOf(got, length);
        bad[length - 5] ^= 1;
        assertEquals(offset + length - 5, disk.mismatch(offset, Unpooled.wrappedBuffer(bad)));
    }
}
