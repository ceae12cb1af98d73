package io.sparserandom.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.Errno;
import io.sparserandom.device.ExpectedContent;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {
    private final TestDisk disk = TestDisk.allData(64 * TestDisk.BLOCK);

    @AfterEach
    void close() {
        disk.close();
    }

    @Test
    void anEmptyPlanLeavesTheDeviceAlone() {
        assertSame(disk, new FaultInjection(FaultPlan.none(), 1).decorate(disk));
    }

    @Test
    void theSeedDefaultsToTheDisksSeed() {
        assertEquals(9, new FaultInjection(FaultPlan.none(), 9).seed());
        assertEquals(
                3, new FaultInjection(FaultPlan.parse(List.of("--fault-seed", "3")), 9).seed());
    }

    @Test
    void stacksMaskOutsideErrorsOutsideCorruption() {
        FaultPlan plan =
                FaultPlan.parse(List.of("--error", "read:1", "--corrupt-reads", "1", "--no-flush"));
        BlockDevice d = new FaultInjection(plan, 1).decorate(disk);
        assertInstanceOf(CapabilityMaskDevice.class, d);
        assertFalse(d.capabilities().flush());
        assertThrows(DeviceException.class, () -> d.read(0, 16, Unpooled.EMPTY_BUFFER));
        assertEquals(
                0, disk.calls(FaultCommand.READ), "the error came before the corruption layer");
    }

    @Test
    void expectedContentSurvivesTheLayersThatKeepContent() {
        BlockDevice fast = TestDisk.withExpected(disk);
        FaultPlan keep = FaultPlan.parse(List.of("--error", "write:1", "--no-trim"));
        assertInstanceOf(ExpectedContent.class, new FaultInjection(keep, 1).decorate(fast));
        FaultPlan lie = FaultPlan.parse(List.of("--corrupt-reads", "1%", "--no-trim"));
        assertFalse(new FaultInjection(lie, 1).decorate(fast) instanceof ExpectedContent);
    }

    @Test
    void connectionsShareCountersAndRetryMemory() throws Exception {
        FaultInjection faults =
                new FaultInjection(FaultPlan.parse(List.of("--error", "write:1:ENOSPC:once")), 1);
        BlockDevice first = faults.decorate(disk);
        BlockDevice second = faults.decorate(disk);
        ByteBuf data = Unpooled.wrappedBuffer(new byte[512]);
        try {
            DeviceException e =
                    assertThrows(DeviceException.class, () -> first.write(4096, data, 0));
            assertEquals(Errno.ENOSPC, e.errno());
            second.write(4096, data, 0); // the retry, on another connection, succeeds
        } finally {
            data.release();
        }
        assertEquals(1, faults.counters().injected(FaultCommand.WRITE));
        assertNull(faults.counters().injectedByCommand().get(FaultCommand.READ));
    }
}
