package io.sparserandom.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/**
 * Golden values: changing the hash changes which requests a given seed fails, so it must be
 * deliberate.
 */
class FaultHashTest {
    @Test
    void splitMixFinalizerOfKnownInputs() {
        // SplitMix64's first output for seed 0 is mix(0x9e3779b97f4a7c15), a published value.
        assertEquals(0xe220a8397b1dcdafL, FaultHash.mix(0x9e3779b97f4a7c15L));
        assertEquals(0, FaultHash.mix(0));
    }

    @Test
    void requestHashIsPinned() {
        assertEquals(GOLDEN_REQUEST, FaultHash.request(42, 0, FaultCommand.READ, 4096, 65536, 0));
        assertEquals(GOLDEN_BLOCK, FaultHash.block(42, 1, 8192));
    }

    @Test
    void everyInputMatters() {
        long h = FaultHash.request(42, 0, FaultCommand.READ, 4096, 65536, 0);
        assertNotEquals(h, FaultHash.request(43, 0, FaultCommand.READ, 4096, 65536, 0));
        assertNotEquals(h, FaultHash.request(42, 1, FaultCommand.READ, 4096, 65536, 0));
        assertNotEquals(h, FaultHash.request(42, 0, FaultCommand.WRITE, 4096, 65536, 0));
        assertNotEquals(h, FaultHash.request(42, 0, FaultCommand.READ, 4097, 65536, 0));
        assertNotEquals(h, FaultHash.request(42, 0, FaultCommand.READ, 4096, 65537, 0));
        assertNotEquals(h, FaultHash.request(42, 0, FaultCommand.READ, 4096, 65536, 1));
    }

    @Test
    void commandCodesAreFixed() {
        long[] codes = {1, 2, 3, 4, 5, 6, 7};
        FaultCommand[] cmds = {
            FaultCommand.READ,
            FaultCommand.WRITE,
            FaultCommand.ZERO,
            FaultCommand.TRIM,
            FaultCommand.FLUSH,
            FaultCommand.CACHE,
            FaultCommand.BLOCK_STATUS
        };
        for (int i = 0; i < cmds.length; i++) {
            assertEquals(codes[i], cmds[i].code());
        }
    }

    @Test
    void rateComparesTheTopBits() {
        assertEquals(true, FaultRate.ALWAYS.hit(-1L));
        assertEquals(false, FaultRate.NEVER.hit(0));
        assertEquals(true, new FaultRate(0.5).hit(0x7fffffffffffffffL));
        assertEquals(false, new FaultRate(0.5).hit(0x8000000000000000L));
    }

    private static final long GOLDEN_REQUEST = 0x913b6a5bbb96bf6fL;
    private static final long GOLDEN_BLOCK = 0xa402a9faf30eb5dcL;
}
