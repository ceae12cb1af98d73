package io.sparserandom.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A layout written for the test plugs into the disk with no change to the disk. */
class CustomLayoutTest {
    private static final int BLOCK = SparseRandomDisk.BLOCK_SIZE;

    /** Runs of {@code width} blocks, hole first, then data, alternating. */
    record Stripes(long blocks, long width) implements Layout {
        @Override
        public boolean isData(long block) {
            return (block / width) % 2 == 1;
        }

        @Override
        public long runEnd(long block, long limit) {
            return Math.min(blocks, (block / width + 1) * width);
        }

        @Override
        public long lookaheadBlocks() {
            return width;
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsExtentsAndMismatchFollowTheLayout(boolean random) {
        long size = 40L * BLOCK + 100;
        DiskParams p = new DiskParams(size, 3, 50, 4 * BLOCK, random, DiskParams.Model.DEFAULT);
        SparseRandomDisk d =
                new SparseRandomDisk(p, new Stripes(41, 3), new DefaultContentModel(3));

        byte[] all = SparseRandomDiskTest.read(d, 0, (int) size);
        for (long off = 0; off < size; off += BLOCK) {
            boolean data = (off / BLOCK / 3) % 2 == 1;
            assertEquals(data, d.isData(off));
            byte first = all[(int) off];
            assertEquals(data, first != 0, "block at " + off);
        }
        List<long[]> ext = SparseRandomDiskTest.extents(d, 0, size);
        assertEquals(14, ext.size()); // 41 blocks in runs of 3
        for (int i = 0; i < ext.size(); i++) {
            assertEquals(i * 3L * BLOCK, ext.get(i)[0]);
            assertEquals(i % 2, ext.get(i)[2]);
        }
        assertEquals(size, ext.get(ext.size() - 1)[1]);

        assertEquals(-1, d.mismatch(0, Unpooled.wrappedBuffer(all)));
        byte[] bad = all.clone();
        bad[5 * BLOCK + 17] ^= 1;
        assertEquals(5 * BLOCK + 17, d.mismatch(0, Unpooled.wrappedBuffer(bad)));

        ByteBuf shared = d.readBuffer(BLOCK + 5, 20 * BLOCK, PooledByteBufAllocator.DEFAULT);
        try {
            assertTrue(
                    ByteBufUtil.equals(Unpooled.wrappedBuffer(all, BLOCK + 5, 20 * BLOCK), shared));
        } finally {
            shared.release();
        }
    }

    @Test
    void theSameContentAsTheBuiltInLayoutWhereBothAreData() {
        DiskParams p = new DiskParams(64L * BLOCK, 9, 100, 16 << 20, true, DiskParams.Model.NBDKIT);
        SparseRandomDisk builtIn = SparseRandomDisk.create(p);
        SparseRandomDisk custom =
                new SparseRandomDisk(p, new Stripes(64, 1), new NbdkitContentModel(9));
        for (long block : new long[] {1, 5, 7, 63}) { // data in both
            assertArrayEquals(
                    SparseRandomDiskTest.read(builtIn, block * BLOCK, BLOCK),
                    SparseRandomDiskTest.read(custom, block * BLOCK, BLOCK),
                    "block " + block);
        }
    }

    @Test
    void aLayoutOfTheWrongSizeIsRefused() {
        DiskParams p =
                new DiskParams(10L * BLOCK + 1, 1, 50, BLOCK, false, DiskParams.Model.DEFAULT);
        assertThrows(
                IllegalArgumentException.class,
                () -> new SparseRandomDisk(p, new Stripes(10, 2), new DefaultContentModel(1)));
    }
}
