package io.sparserandom.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** readBuffer (zero-copy composite of shared blocks) returns exactly what read() fills. */
class ZeroCopyReadTest {
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readBufferEqualsRead(boolean randomContent) {
        SparseRandomDisk disk =
                SparseRandomDisk.create(
                        new DiskParams(
                                1L << 30,
                                9,
                                30,
                                64 << 10,
                                randomContent,
                                DiskParams.Model.DEFAULT));
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 15; i++) {
            int len = 1 + r.nextInt(512 << 10);
            long off = r.nextLong(disk.size() - len);
            ByteBuf expected = Unpooled.buffer(len);
            disk.read(off, len, expected);
            ByteBuf got = disk.readBuffer(off, len, PooledByteBufAllocator.DEFAULT);
            try {
                assertEquals(len, got.readableBytes());
                assertTrue(ByteBufUtil.equals(expected, got), "offset " + off + " length " + len);
                assertTrue(got.isDirect());
            } finally {
                got.release();
                expected.release();
            }
        }
        // The shared blocks survive any number of releases by callers.
        ByteBuf again = disk.readBuffer(0, 1 << 20, PooledByteBufAllocator.DEFAULT);
        ByteBuf fresh = Unpooled.buffer(1 << 20);
        disk.read(0, 1 << 20, fresh);
        assertTrue(ByteBufUtil.equals(fresh, again));
        again.release();
    }
}
