package io.sparserandom.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.ExpectedContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CorruptingReadDeviceTest {
    private static final int BLOCK = TestDisk.BLOCK;
    private final FaultCounters counters = new FaultCounters();
    private TestDisk disk;

    @AfterEach
    void close() {
        if (disk != null) {
            disk.close();
        }
    }

    private byte[] read(BlockDevice d, long offset, int length) throws DeviceException {
        ByteBuf b = Unpooled.buffer(length);
        try {
            d.read(offset, length, b);
            byte[] out = new byte[length];
            b.getBytes(0, out);
            return out;
        } finally {
            b.release();
        }
    }

    private byte[] readBuffer(BlockDevice d, long offset, int length) throws DeviceException {
        ByteBuf b = d.readBuffer(offset, length, ByteBufAllocator.DEFAULT);
        try {
            assertEquals(length, b.readableBytes());
            byte[] out = new byte[length];
            b.getBytes(b.readerIndex(), out);
            return out;
        } finally {
            b.release();
        }
    }

    /** Bits that differ between what the device read and the true content. */
    private int flippedBits(byte[] got, long offset) {
        int n = 0;
        for (int i = 0; i < got.length; i++) {
            n += Integer.bitCount((got[i] ^ disk.byteAt(offset + i)) & 0xff);
        }
        return n;
    }

    @Test
    void everyDataBlockHasExactlyOneBitFlippedAtRateOne() throws Exception {
        disk = TestDisk.allData(256 * BLOCK);
        CorruptingReadDevice d = new CorruptingReadDevice(disk, FaultRate.ALWAYS, 1, counters);
        for (long block = 0; block < 256; block++) {
            assertEquals(
                    1, flippedBits(read(d, block * BLOCK, BLOCK), block * BLOCK), "block " + block);
        }
        assertEquals(256, counters.flippedBits());
    }

    @Test
    void holesAreNeverCorrupted() throws Exception {
        disk = TestDisk.striped(256 * BLOCK);
        CorruptingReadDevice d = new CorruptingReadDevice(disk, FaultRate.ALWAYS, 1, counters);
        byte[] all = read(d, 0, 256 * BLOCK);
        for (int block = 0; block < 256; block++) {
            int flips = 0;
            for (int i = block * BLOCK; i < (block + 1) * BLOCK; i++) {
                flips += Integer.bitCount((all[i] ^ disk.byteAt(i)) & 0xff);
            }
            assertEquals(block % 2 == 0 ? 1 : 0, flips, "block " + block);
        }
        assertEquals(128, counters.flippedBits());
    }

    @Test
    void everyReadOfABlockLiesTheSameWay() throws Exception {
        disk = TestDisk.allData(64 * BLOCK);
        CorruptingReadDevice d =
                new CorruptingReadDevice(disk, FaultRate.parse("30%"), 5, counters);
        byte[] whole = read(d, 0, 64 * BLOCK);
        // Block by block, in pieces that straddle blocks, and through readBuffer: the same bytes.
        for (int block = 63; block >= 0; block--) {
            byte[] one = read(d, (long) block * BLOCK, BLOCK);
            for (int i = 0; i < BLOCK; i++) {
                assertEquals(whole[block * BLOCK + i], one[i]);
            }
        }
        for (int at = 0; at + 3000 <= 64 * BLOCK; at += 3000) {
            byte[] piece = readBuffer(d, at, 3000);
            for (int i = 0; i < 3000; i++) {
                assertEquals(whole[at + i], piece[i], "offset " + (at + i));
            }
        }
        CorruptingReadDevice again =
                new CorruptingReadDevice(disk, FaultRate.parse("30%"), 5, new FaultCounters());
        assertTrue(
                java.util.Arrays.equals(whole, read(again, 0, 64 * BLOCK)),
                "a pure function of seed and block");
    }

    @Test
    void readBufferNeverWritesIntoASharedBuffer() throws Exception {
        disk = TestDisk.allData(64 * BLOCK);
        CorruptingReadDevice d = new CorruptingReadDevice(disk, FaultRate.ALWAYS, 1, counters);
        // The test disk answers all-data reads with slices of one shared read-only buffer.
        ByteBuf direct = disk.readBuffer(0, BLOCK, ByteBufAllocator.DEFAULT);
        try {
            assertTrue(direct.isReadOnly());
        } finally {
            direct.release();
        }
        for (int block = 0; block < 64; block++) {
            assertEquals(
                    1,
                    flippedBits(readBuffer(d, (long) block * BLOCK, BLOCK), (long) block * BLOCK));
        }
        assertTrue(disk.sharedIntact());
    }

    @Test
    void readBufferWithoutFlipsPassesTheBufferOn() throws Exception {
        disk = TestDisk.allData(64 * BLOCK);
        CorruptingReadDevice d = new CorruptingReadDevice(disk, FaultRate.NEVER, 1, counters);
        ByteBuf b = d.readBuffer(0, BLOCK, ByteBufAllocator.DEFAULT);
        try {
            assertTrue(b.isReadOnly(), "no copy when nothing is flipped");
        } finally {
            b.release();
        }
        assertEquals(0, flippedBits(read(d, 0, 64 * BLOCK), 0));
    }

    @Test
    void readIntoTheMiddleOfABufferFlipsTheRightByte() throws Exception {
        disk = TestDisk.allData(4 * BLOCK);
        CorruptingReadDevice d = new CorruptingReadDevice(disk, FaultRate.ALWAYS, 9, counters);
        CorruptingReadDevice.Flip f = d.chosenFlip(BLOCK);
        ByteBuf b = Unpooled.buffer(100 + BLOCK);
        try {
            b.writeBytes(new byte[100]);
            d.read(BLOCK, BLOCK, b);
            for (int i = 0; i < 100; i++) {
                assertEquals(0, b.getByte(i), "bytes before the writer index are untouched");
            }
            int at = 100 + (int) (f.offset() - BLOCK);
            assertEquals((byte) (TestDisk.DATA ^ (1 << f.bit())), b.getByte(at));
        } finally {
            b.release();
        }
    }

    @Test
    void partialReadsSeeTheFlipOnlyWhenTheyCoverIt() throws Exception {
        disk = TestDisk.allData(4 * BLOCK);
        CorruptingReadDevice d = new CorruptingReadDevice(disk, FaultRate.ALWAYS, 3, counters);
        CorruptingReadDevice.Flip f = d.chosenFlip(0);
        int at = (int) f.offset();
        assertEquals(1, flippedBits(read(d, at, 1), at));
        if (at > 0) {
            assertEquals(0, flippedBits(read(d, 0, at), 0));
        }
        assertEquals(0, flippedBits(read(d, at + 1, BLOCK - at - 1), at + 1));
    }

    @Test
    void observedRateIsTheConfiguredRate() {
        disk = TestDisk.allData(BLOCK);
        CorruptingReadDevice d =
                new CorruptingReadDevice(disk, FaultRate.parse("1%"), 77, counters);
        int n = 100_000;
        int chosen = 0;
        for (long block = 0; block < n; block++) {
            chosen += d.chosenFlip(block * BLOCK) != null ? 1 : 0;
        }
        assertEquals(1000, chosen, 5 * Math.sqrt(n * 0.01 * 0.99));
    }

    @Test
    void blocksNearTheEndOfTheLargestDiskWork() {
        disk = TestDisk.allData(BLOCK);
        CorruptingReadDevice d = new CorruptingReadDevice(disk, FaultRate.ALWAYS, 1, counters);
        long last = Long.MAX_VALUE & -BLOCK;
        CorruptingReadDevice.Flip f = d.chosenFlip(last);
        assertNotNull(f);
        assertTrue(f.offset() >= last && f.offset() - last < BLOCK);
        assertNull(new CorruptingReadDevice(disk, FaultRate.NEVER, 1, counters).chosenFlip(last));
    }

    @Test
    void blockSizeMustBeAPowerOfTwo() {
        disk = TestDisk.allData(BLOCK);
        assertThrows(
                IllegalArgumentException.class,
                () -> new CorruptingReadDevice(disk, FaultRate.ALWAYS, 1, 3000, counters));
    }

    @Test
    void doesNotClaimToKnowTheExpectedContent() {
        disk = TestDisk.allData(BLOCK);
        BlockDevice d =
                new CorruptingReadDevice(
                        TestDisk.withExpected(disk), FaultRate.ALWAYS, 1, counters);
        assertFalse(d instanceof ExpectedContent);
    }

    @Test
    void otherCommandsPassThrough() throws Exception {
        disk = TestDisk.allData(BLOCK);
        CorruptingReadDevice d = new CorruptingReadDevice(disk, FaultRate.ALWAYS, 1, counters);
        ByteBuf data = Unpooled.wrappedBuffer(new byte[16]);
        try {
            d.write(0, data, 0);
        } finally {
            data.release();
        }
        d.zero(0, 16, 0);
        d.trim(0, 16, 0);
        d.flush(0);
        d.cache(0, 16, 0);
        for (FaultCommand c :
                new FaultCommand[] {
                    FaultCommand.WRITE,
                    FaultCommand.ZERO,
                    FaultCommand.TRIM,
                    FaultCommand.FLUSH,
                    FaultCommand.CACHE
                }) {
            assertEquals(1, disk.calls(c), c.toString());
        }
        assertSame(disk.capabilities(), d.capabilities());
        assertEquals(disk.size(), d.size());
    }
}
