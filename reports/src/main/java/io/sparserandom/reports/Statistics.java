package io.sparserandom.reports;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Computes {@link ToolStats} from runs. */
final class Statistics {

    private Statistics() {}

    /**
     * Per-tool statistics, in the order of {@code tools}, then any tool that only appears in runs.
     *
     * <p>Only counted runs (not the warm-up) are considered. Failed runs are counted in {@link
     * ToolStats#failed()} but never timed: timings come from successful runs only. A tool with any
     * failed counted run does not pass, cannot be the fastest and gets no ratio, so a tool that is
     * fast because it skipped work never wins.
     */
    static List<ToolStats> compute(List<ToolInfo> tools, List<RunResult> runs) {
        Set<String> names = new LinkedHashSet<>();
        for (ToolInfo tool : tools) {
            names.add(tool.name());
        }
        for (RunResult run : runs) {
            names.add(run.tool());
        }
        List<ToolStats> partial = new ArrayList<>();
        for (String name : names) {
            List<RunResult> counted =
                    runs.stream().filter(r -> r.tool().equals(name) && !r.warmup()).toList();
            if (counted.isEmpty()
                    && tools.stream().anyMatch(t -> t.name().equals(name) && !t.available())) {
                continue; // not installed: reported as a tool, not as statistics
            }
            List<RunResult> ok = counted.stream().filter(RunResult::succeeded).toList();
            int failed = counted.size() - ok.size();
            Summary wall =
                    ok.isEmpty()
                            ? null
                            : Summary.of(ok.stream().mapToDouble(RunResult::wallSeconds).toArray());
            Summary rate =
                    ok.isEmpty()
                            ? null
                            : Summary.of(
                                    ok.stream()
                                            .mapToDouble(RunResult::dataBytesPerSecond)
                                            .toArray());
            partial.add(new ToolStats(name, counted.size(), failed, wall, rate, null));
        }
        ToolStats fastest = null;
        for (ToolStats s : partial) {
            if (s.passed() && (fastest == null || s.wall().median() < fastest.wall().median())) {
                fastest = s;
            }
        }
        List<ToolStats> result = new ArrayList<>();
        for (ToolStats s : partial) {
            Ratio ratio = fastest != null && s.passed() ? Ratio.of(s.wall(), fastest.wall()) : null;
            result.add(
                    new ToolStats(
                            s.tool(),
                            s.runs(),
                            s.failed(),
                            s.wall(),
                            s.dataBytesPerSecond(),
                            ratio));
        }
        return List.copyOf(result);
    }
}
