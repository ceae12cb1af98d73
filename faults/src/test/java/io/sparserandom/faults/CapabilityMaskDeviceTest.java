package io.sparserandom.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.Capabilities;
import io.sparserandom.device.ExpectedContent;
import io.sparserandom.device.IoFlags;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CapabilityMaskDeviceTest {
    private final TestDisk disk = TestDisk.striped(16 * TestDisk.BLOCK);

    @AfterEach
    void close() {
        disk.close();
    }

    private static Capabilities expected(MaskedFeature f) {
        Capabilities all = Capabilities.all();
        return switch (f) {
            case EXTENTS -> all.withExtents(false);
            case MULTI_CONN -> all.withMultiConn(false);
            case ZERO -> all.withZero(false).withFastZero(false);
            case FAST_ZERO -> all.withFastZero(false);
            case TRIM -> all.withTrim(false);
            case FUA -> all.withFua(false);
            case FLUSH -> all.withFlush(false);
            case CACHE -> all.withCache(false);
        };
    }

    @ParameterizedTest
    @EnumSource(MaskedFeature.class)
    void eachSwitchTurnsOffItsFeatureOnly(MaskedFeature f) {
        assertEquals(expected(f), CapabilityMaskDevice.wrap(disk, Set.of(f)).capabilities());
    }

    @Test
    void allSwitchesLeaveOnlyWritable() {
        Capabilities c =
                CapabilityMaskDevice.wrap(disk, EnumSet.allOf(MaskedFeature.class)).capabilities();
        assertEquals(Capabilities.none().withWritable(true), c);
    }

    @Test
    void noSwitchesChangeNothing() {
        BlockDevice d = CapabilityMaskDevice.wrap(disk, Set.of());
        assertEquals(Capabilities.all(), d.capabilities());
    }

    private static List<long[]> extents(BlockDevice d, long offset, long length) throws Exception {
        List<long[]> out = new ArrayList<>();
        d.extents(
                offset,
                length,
                (len, type) -> {
                    out.add(new long[] {len, type});
                    return true;
                });
        return out;
    }

    @Test
    void withoutExtentsTheWholeRangeIsData() throws Exception {
        BlockDevice d = CapabilityMaskDevice.wrap(disk, Set.of(MaskedFeature.EXTENTS));
        List<long[]> e = extents(d, 100, 10 * TestDisk.BLOCK);
        assertEquals(1, e.size());
        assertEquals(10 * TestDisk.BLOCK, e.get(0)[0]);
        assertEquals(IoFlags.EXTENT_DATA, e.get(0)[1]);
        assertEquals(0, disk.calls(FaultCommand.BLOCK_STATUS), "the map below is not asked");
    }

    @Test
    void withExtentsTheMapPassesThrough() throws Exception {
        BlockDevice d = CapabilityMaskDevice.wrap(disk, Set.of(MaskedFeature.TRIM));
        assertEquals(16, extents(d, 0, 16 * TestDisk.BLOCK).size());
    }

    @Test
    void commandsPassThroughUnchanged() throws Exception {
        BlockDevice d = CapabilityMaskDevice.wrap(disk, EnumSet.allOf(MaskedFeature.class));
        d.zero(0, 4096, IoFlags.FAST_ZERO);
        d.trim(0, 4096, IoFlags.FUA);
        d.flush(0);
        d.cache(0, 4096, 0);
        assertEquals(1, disk.calls(FaultCommand.ZERO));
        assertEquals(1, disk.calls(FaultCommand.TRIM));
        assertEquals(1, disk.calls(FaultCommand.FLUSH));
        assertEquals(1, disk.calls(FaultCommand.CACHE));
    }

    @Test
    void expectedContentPassesThroughWhenTheDeviceHasIt() {
        assertFalse(
                CapabilityMaskDevice.wrap(disk, Set.of(MaskedFeature.ZERO))
                        instanceof ExpectedContent);
        ExpectedContent e =
                assertInstanceOf(
                        ExpectedContent.class,
                        CapabilityMaskDevice.wrap(
                                TestDisk.withExpected(disk), Set.of(MaskedFeature.ZERO)));
        assertEquals("zeroes", e.describeExpected(TestDisk.BLOCK, 1));
    }
}
