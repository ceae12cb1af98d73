package io.sparserandom.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole blocks generated straight into the reply buffer (our random content) are the bytes the
 * scratch path makes: reads in pieces that never cover a whole block go through the scratch.
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
}
