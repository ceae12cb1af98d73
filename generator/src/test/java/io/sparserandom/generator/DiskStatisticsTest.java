package io.sparserandom.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparserandom.device.DeviceException;
import org.junit.jupiter.api.Test;

/** The layouts hit the requested data share and mean data run (walking extents, like the CLI). */
class DiskStatisticsTest {
    static final long T = 1L << 40;

    private static DiskStats check(DiskParams p) throws DeviceException {
        long t0 = System.nanoTime();
        SparseRandomDisk d = SparseRandomDisk.create(p);
        DiskStats s = DiskStats.of(d);
        System.out.printf(
                "%s: %.3f %% data, %d runs, mean run %.0f bytes (%.2f s)%n",
                p, s.dataPercent(), s.dataRuns(), s.meanDataRun(), (System.nanoTime() - t0) / 1e9);
        assertEquals(p.percent(), s.dataPercent(), 1.0, "data share");
        assertEquals(p.runlength(), s.meanDataRun(), p.runlength() * 0.10, "mean data run");
        return s;
    }

    @Test
    void defaultsAtOneTerabyte() throws DeviceException {
        check(DiskParams.defaults(T, 12345, DiskParams.Model.DEFAULT));
    }

    @Test
    void halfDataShortRuns() throws DeviceException {
        check(new DiskParams(T, 777, 50, 1L << 20, false, DiskParams.Model.DEFAULT));
    }

    @Test
    void onePercent() throws DeviceException {
        DiskStats s =
                check(
                        new DiskParams(
                                T,
                                4,
                                1,
                                DiskParams.DEFAULT_RUNLENGTH,
                                false,
                                DiskParams.Model.DEFAULT));
        // tighter than the 1 point of the brief: relative to the share asked for
        assertEquals(1.0, s.dataPercent(), 0.25);
    }

    /** How long the scan takes: benchmarks' StartupBenchmark.nbdkitModel1T. */
    @Test
    void nbdkitModelAtOneTerabyteMatchesNbdkit() throws DeviceException {
        SparseRandomDisk d =
                SparseRandomDisk.create(DiskParams.defaults(T, 1, DiskParams.Model.NBDKIT));
        System.out.printf("NBDKIT 1T: %d runs%n", ((NbdkitLayout) d.layout()).runs());
        DiskStats s = DiskStats.of(d);
        // `nbdkit -v -U - sparse-random 1T seed=1 --run true` (nbdkit 1.32) prints
        // "percent actual = 9.97352%, average run length = 16687104" (whole blocks, rounded down).
        assertEquals(9.97352, s.dataPercent(), 0.000005);
        assertEquals(16687104L, (s.dataBytes() / 4096 / s.dataRuns()) * 4096);
    }

    @Test
    void statsCountRunsAcrossCalls() throws DeviceException {
        SparseRandomDisk d =
                SparseRandomDisk.create(
                        new DiskParams(1L << 30, 3, 100, 4096, false, DiskParams.Model.DEFAULT));
        DiskStats s = DiskStats.of(d, 4096, 3L << 28);
        assertEquals(1, s.dataRuns(), "one run even though walked in 1 GiB calls");
        assertEquals(3L << 28, s.dataBytes());
        DiskStats h =
                DiskStats.of(
                        SparseRandomDisk.create(
                                new DiskParams(
                                        1L << 30, 3, 0, 4096, false, DiskParams.Model.NBDKIT)));
        assertEquals(0, h.dataRuns());
        assertEquals(0, h.meanDataRun());
    }
}
