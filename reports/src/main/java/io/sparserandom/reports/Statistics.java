package io.sparserandom.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Computes {@link ToolStats} from runs. */
final class Statistics {

    /** A coefficient of variation above this gets a warning (as noisy). */
    static final double CV_WARNING = 0.10;

    private static final double GIB = 1L << 30;

    private Statistics() {}

    /** A tool's statistics at one sweep point, with the wall times its ratio is computed from. */
    private static final class Group {
        private final ToolStats stats;
        private final double[] wall;

        Group(ToolStats stats, double[] wall) {
            this.stats = stats;
            this.wall = wall;
        }

        ToolStats stats() {
            return stats;
        }

        double[] wall() {
            return wall;
        }
    }

    /**
     * Per-tool statistics (per tool and sweep point), in the order of {@code tools}, then any tool
     * that only appears in runs; sweep points in the order they first ran.
     *
     * <p>Only counted runs (not the warm-up) are considered. Failed runs are counted in {@link
     * ToolStats#failed()} but never timed: timings come from successful runs only. A tool with any
     * failed counted run does not pass, cannot be the reference and gets no ratio, so a tool that
     * is fast because it skipped work never wins.
     *
     * @param reference null: ratios are to the fastest passing tool (over every sweep point); else
     *     ratios are to this tool at the same sweep point
     */
    static List<ToolStats> compute(List<ToolInfo> tools, List<RunResult> runs, String reference) {
        Set<String> names = new LinkedHashSet<>();
        for (ToolInfo tool : tools) {
            names.add(tool.name());
        }
        for (RunResult run : runs) {
            names.add(run.tool());
        }
        Set<Map<String, String>> points = new LinkedHashSet<>();
        for (RunResult run : runs) {
            points.add(run.parameters());
        }
        if (points.isEmpty()) {
            points.add(Map.of());
        }
        List<Group> groups = new ArrayList<>();
        for (String name : names) {
            for (Map<String, String> point : points) {
                List<RunResult> counted =
                        runs.stream()
                                .filter(
                                        r ->
                                                r.tool().equals(name)
                                                        && !r.warmup()
                                                        && r.parameters().equals(point))
                                .toList();
                if (counted.isEmpty()
                        && (points.size() > 1
                                || tools.stream()
                                        .anyMatch(t -> t.name().equals(name) && !t.available()))) {
                    continue; // not installed: reported as a tool, not as statistics
                }
                groups.add(group(name, point, counted));
            }
        }
        List<ToolStats> result = new ArrayList<>();
        Group fastest =
                groups.stream()
                        .filter(g -> g.stats().passed())
                        .min(Comparator.comparingDouble(g -> g.stats().wall().median()))
                        .orElse(null);
        for (Group g : groups) {
            ToolStats s = g.stats();
            Group ref = null;
            if (reference == null) {
                ref = fastest;
            } else {
                ref =
                        groups.stream()
                                .filter(
                                        x ->
                                                x.stats().tool().equals(reference)
                                                        && x.stats()
                                                                .parameters()
                                                                .equals(s.parameters())
                                                        && x.stats().passed())
                                .findFirst()
                                .orElse(null);
            }
            Ratio ratio =
                    ref != null && s.passed() && ref.stats().wall().median() > 0
                            ? Ratio.of(ref.stats().label(), g.wall(), ref.wall())
                            : null;
            result.add(
                    new ToolStats(
                            s.tool(),
                            s.parameters(),
                            s.runs(),
                            s.failed(),
                            s.wall(),
                            s.dataBytesPerSecond(),
                            ratio,
                            s.outlierRuns(),
                            s.warnings(),
                            s.serverCpuPerGiB(),
                            s.toolCpuPerGiB()));
        }
        return List.copyOf(result);
    }

    private static Group group(String name, Map<String, String> point, List<RunResult> counted) {
        List<RunResult> ok =
                counted.stream()
                        .filter(RunResult::succeeded)
                        .sorted(Comparator.comparingInt(RunResult::run))
                        .toList();
        int failed = counted.size() - ok.size();
        double[] wall = ok.stream().mapToDouble(RunResult::wallSeconds).toArray();
        Summary wallSummary = ok.isEmpty() ? null : Summary.of(wall);
        Summary rate =
                ok.isEmpty()
                        ? null
                        : Summary.of(
                                ok.stream().mapToDouble(RunResult::dataBytesPerSecond).toArray());
        List<Integer> outliers = new ArrayList<>();
        boolean[] flags = Outliers.flags(wall);
        for (int i = 0; i < flags.length; i++) {
            if (flags[i]) {
                outliers.add(ok.get(i).run());
            }
        }
        List<String> warnings = warnings(ok, wall, flags, wallSummary);
        Double serverCpu =
                perGiB(ok.stream().map(r -> new double[] {r.serverCpuSeconds(), r.dataBytes()}));
        Double toolCpu =
                perGiB(
                        ok.stream()
                                .map(
                                        r ->
                                                new double[] {
                                                    r.userCpuSeconds() + r.systemCpuSeconds(),
                                                    r.dataBytes()
                                                }));
        return new Group(
                new ToolStats(
                        name,
                        point,
                        counted.size(),
                        failed,
                        wallSummary,
                        rate,
                        null,
                        outliers,
                        warnings,
                        serverCpu,
                        toolCpu),
                wall);
    }

    /**
     * The warnings hyperfine gives, on the same evidence: the first counted run an outlier on the
     * slow side (caches or the JIT not yet warm), other outliers (interference), and a coefficient
     * of variation over 10 %.
     */
    static List<String> warnings(
            List<RunResult> ok, double[] wall, boolean[] flags, Summary summary) {
        List<String> warnings = new ArrayList<>();
        if (summary == null) {
            return warnings;
        }
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < flags.length; i++) {
            if (!flags[i]) {
                continue;
            }
            if (i == 0 && ok.get(0).run() == 1 && wall[0] > summary.median()) {
                warnings.add(
                        "The first counted run was much slower than the rest ("
                                + Format.seconds(wall[0])
                                + "): caches or the JIT may not have been warm after one warm-up"
                                + " run.");
            } else {
                others.add(ok.get(i).run());
            }
        }
        if (!others.isEmpty()) {
            warnings.add(
                    "Statistical outliers were detected (run"
                            + (others.size() == 1 ? " " : "s ")
                            + String.join(", ", others.stream().map(String::valueOf).toList())
                            + "). Consider re-running on a quiet machine.");
        }
        if (summary.n() > 1 && summary.cv() > CV_WARNING) {
            warnings.add(
                    String.format(
                            Locale.ROOT,
                            "The coefficient of variation is %s %% (over %d %%): the runs are"
                                    + " noisy; more runs or a quieter machine would help.",
                            Format.sig3(summary.cv() * 100),
                            Math.round(CV_WARNING * 100)));
        }
        return warnings;
    }

    /** Median of seconds / GiB over runs that copied data and measured the CPU; null if none. */
    private static Double perGiB(java.util.stream.Stream<double[]> secondsAndBytes) {
        double[] values =
                secondsAndBytes
                        .filter(p -> Double.isFinite(p[0]) && p[0] >= 0 && p[1] > 0)
                        .mapToDouble(p -> p[0] / (p[1] / GIB))
                        .toArray();
        return values.length == 0 ? null : Outliers.median(values);
    }

    /** Statistics with ratios to the fastest tool. */
    static List<ToolStats> compute(List<ToolInfo> tools, List<RunResult> runs) {
        return compute(tools, runs, null);
    }

    /** Groups of per-tool statistics by sweep point, in order; for tables and charts. */
    static Map<Map<String, String>, List<ToolStats>> byPoint(List<ToolStats> stats) {
        Map<Map<String, String>, List<ToolStats>> out = new LinkedHashMap<>();
        for (ToolStats s : stats) {
            out.computeIfAbsent(s.parameters(), k -> new ArrayList<>()).add(s);
        }
        return out;
    }
}
