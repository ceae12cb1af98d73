package io.sparserandom.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole blocks generated straight into the reply buffer (our random content) are the bytes the
 * scratch path makes: reads in pieces that never cover a whole block go through the scratch. Whole
 * blocks are also checked as generated, without the scratch: every wrong byte is found exactly.
 */
class RandomContentDirectFillTest {
    private static final int BLOCK = SparseRandomDisk.BLOCK_SIZE;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void wholeBlocksReadTheSameAsPieces(boolean directBuffer) {
        SparseRandomDisk disk =
                SparseRandomDisk.create(
                        new DiskParams(
                                64L << 20, 11, 100, 16 << 20, true, DiskParams.Model.DEFAULT));
        long offset = 3L * BLOCK + 17;
        int length = 37 * BLOCK + 500;
        ByteBuf whole = directBuffer ? Unpooled.directBuffer(length) : Unpooled.buffer(length);
        disk.read(offset, length, whole);
        ByteBuf pieces = Unpooled.buffer(length);
        for (int done = 0; done < length; ) {
            int n = Math.min(1000, length - done);
            disk.read(offset + done, n, pieces);
            done += n;
        }
        assertEquals(length, whole.readableBytes());
        assertEquals(ByteBufUtil.hexDump(pieces), ByteBufUtil.hexDump(whole));
        whole.release();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void everyWrongByteIsFoundWhereItIs(boolean directBuffer) {
        SparseRandomDisk disk =
                SparseRandomDisk.create(
                        new DiskParams(
                                64L << 20, 5, 100, 16 << 20, true, DiskParams.Model.DEFAULT));
        long offset = 2L * BLOCK + 4000;
        int length = 6 * BLOCK;
        ByteBuf data = directBuffer ? Unpooled.directBuffer(length) : Unpooled.buffer(length);
        disk.read(offset, length, data);
        assertEquals(io.sparserandom.device.ExpectedContent.MATCH, disk.mismatch(offset, data));
        // In the partial first block, at each byte of a word in whole blocks, in the partial last.
        int[] wrong = {0, 95, 96, 97, 100, 103, 96 + BLOCK, 96 + 4 * BLOCK + 7, length - 1};
        for (int i : wrong) {
            byte b = data.getByte(i);
            data.setByte(i, b ^ 0x40);
            assertEquals(offset + i, disk.mismatch(offset, data), "wrong byte at " + i);
            data.setByte(i, b);
        }
        data.release();
    }
}
