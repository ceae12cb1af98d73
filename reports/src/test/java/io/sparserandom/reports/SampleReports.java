package io.sparserandom.reports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-made reports for tests (the numbers are invented but shaped like real runs). */
final class SampleReports {

    static final long DISK = 4L << 30;
    static final long DATA = 1288490188L; // ~30 % of 4 GiB

    private SampleReports() {}

    static RunResult run(String tool, int run, double wall) {
        return new RunResult(
                tool,
                run,
                run == 0,
                wall,
                wall * 0.3,
                wall * 0.5,
                64L << 20,
                wall * 0.8,
                DISK,
                DATA,
                0,
                true,
                null);
    }

    static RunResult failedRun(String tool, int run, double wall, String why) {
        return new RunResult(
                tool, run, false, wall, 0.1, 0.1, 32L << 20, 0.2, DISK, DATA, 1, false, why);
    }

    static ToolProfile profile(String tool, long... counts) {
        List<ToolProfile.Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            buckets.add(new ToolProfile.Bucket(4096L << i, counts[i]));
        }
        Map<String, Long> commands = new LinkedHashMap<>();
        commands.put("READ", 9000L);
        commands.put("WRITE", 9000L);
        commands.put("WRITE_ZEROES", 120L);
        commands.put("BLOCK_STATUS", 40L);
        commands.put("FLUSH", 1L);
        return new ToolProfile(tool, commands, buckets, DATA, DATA, DISK - DATA, 0, 4, 64, true);
    }

    /**
     * nbdcopy: 5 good runs; qemu-img: 5 runs, run 3 failed verification; nbdkit-copy (an invented
     * name with markup in it) is not installed.
     */
    static BenchReport threeTools() {
        List<RunResult> runs = new ArrayList<>();
        runs.add(run("nbdcopy", 0, 2.9));
        runs.add(run("qemu-img", 0, 4.9));
        double[] nbdcopy = {2.41, 2.38, 2.52, 2.45, 2.40};
        double[] qemu = {4.10, 4.25, 0.90, 4.02, 4.31};
        for (int i = 0; i < 5; i++) {
            runs.add(run("nbdcopy", i + 1, nbdcopy[i]));
            runs.add(
                    i == 2
                            ? failedRun(
                                    "qemu-img",
                                    3,
                                    qemu[i],
                                    "EIO at offset 1048576: data differs <expected zero>")
                            : run("qemu-img", i + 1, qemu[i]));
        }
        Map<String, String> disk = new LinkedHashMap<>();
        disk.put("size", "4G");
        disk.put("seed", "42");
        disk.put("percent", "30");
        disk.put("runlength", "16M");
        disk.put("random-content", "false");
        disk.put("compat", "nbdkit-1.32");
        Map<String, ToolProfile> profiles = new LinkedHashMap<>();
        profiles.put("nbdcopy", profile("nbdcopy", 0, 3, 10, 40, 200, 9000, 600));
        profiles.put("qemu-img", profile("qemu-img", 12, 0, 0, 30, 5, 2, 150, 4000, 3000, 80));
        return new BenchReport(
                BenchReport.SCHEMA,
                Instant.parse("2026-11-28T05:00:00Z"),
                Instant.parse("2026-11-28T05:03:10.5Z"),
                new Machine(
                        "Linux", "6.1.0-test", "Test CPU @ 3.0GHz", 2, 8L << 30, "17.0.13 (Test)"),
                disk,
                5,
                List.of(
                        ToolInfo.available("nbdcopy", "nbdcopy $uri $uri", "nbdcopy 1.14.2"),
                        ToolInfo.available(
                                "qemu-img",
                                "qemu-img convert -n $uri $uri",
                                "qemu-img version 7.2.15"),
                        ToolInfo.unavailable(
                                "<nbdkit-copy>",
                                "nbdkit-copy & friends",
                                "not on PATH \"really\"")),
                runs,
                profiles);
    }

    /**
     * A sweep of rs over 64K, 256K, 1M, 4M with nbdcopy and qemu-img, 6 runs each (enough for
     * intervals); nbdcopy's run 4 at rs=1M is an outlier.
     */
    static BenchReport sweep() {
        List<RunResult> runs = new ArrayList<>();
        List<String> sizes = List.of("64K", "256K", "1M", "4M");
        double[] nbdcopy = {4.0, 2.6, 2.1, 2.3};
        double[] qemu = {5.0, 4.1, 3.6, 3.5};
        double[] jitter = {1.00, 1.03, 0.98, 1.02, 0.97, 1.01};
        for (int round = 0; round <= 6; round++) {
            for (int p = 0; p < sizes.size(); p++) {
                Map<String, String> point = Map.of("rs", sizes.get(p));
                double j = round == 0 ? 1.2 : jitter[round - 1];
                double outlier = round == 4 && p == 2 ? 2.5 : 1;
                runs.add(
                        StatisticsTest.withParams(
                                run("nbdcopy", round, nbdcopy[p] * j * outlier), point));
                runs.add(StatisticsTest.withParams(run("qemu-img", round, qemu[p] * j), point));
            }
        }
        return new BenchReport(
                BenchReport.SCHEMA,
                Instant.parse("2026-12-06T05:00:00Z"),
                Instant.parse("2026-12-06T05:20:00Z"),
                new Machine("Linux", "6.1.0-test", "Test CPU", 2, 8L << 30, "17.0.13 (Test)"),
                Map.of("size", "4G"),
                6,
                List.of(
                        ToolInfo.available(
                                "nbdcopy",
                                "nbdcopy --request-size={rs} \"$uri\" \"$uri\"",
                                "nbdcopy 1.14.2"),
                        ToolInfo.available(
                                "qemu-img",
                                "qemu-img convert -n -S {rs} \"$uri\" \"$uri\"",
                                "qemu-img version 7.2.15")),
                runs,
                Map.of(),
                List.of(),
                Map.of("rs", sizes),
                null);
    }
}
