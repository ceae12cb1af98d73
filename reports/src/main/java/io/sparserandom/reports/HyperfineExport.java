package io.sparserandom.reports;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Our runs in the JSON schema of hyperfine's --export-json, so its plotting scripts and tools built
 * on it read them: {@code {"results": [{command, mean, stddev, median, user, system, min, max,
 * times, memory_usage_byte, exit_codes, parameters}]}}, times in seconds, one result per tool and
 * sweep point.
 *
 * <p>Only successful counted runs are exported. hyperfine judges a run by its exit status alone; a
 * copy that exited 0 but failed verification would look like a good run to those tools, so it is
 * left out (report.json has it). As in hyperfine, stddev is null with one run, user and system are
 * mean CPU seconds (null here when they were not measured), and parameters are strings.
 */
public final class HyperfineExport {

    private HyperfineExport() {}

    public static Map<String, Object> render(BenchReport report) {
        List<Object> results = new ArrayList<>();
        Map<String, String> commands = new LinkedHashMap<>();
        report.tools().forEach(t -> commands.put(t.name(), t.command()));
        for (ToolStats s : report.statistics()) {
            List<RunResult> ok =
                    report.runs().stream()
                            .filter(
                                    r ->
                                            r.tool().equals(s.tool())
                                                    && r.parameters().equals(s.parameters())
                                                    && !r.warmup()
                                                    && r.succeeded())
                            .toList();
            if (ok.isEmpty()) {
                continue;
            }
            double[] times = ok.stream().mapToDouble(RunResult::wallSeconds).toArray();
            Summary t = Summary.of(times);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("command", command(commands.getOrDefault(s.tool(), s.tool()), s.parameters()));
            r.put("mean", t.mean());
            r.put("stddev", t.n() > 1 ? t.stddev() : null);
            r.put("median", t.median());
            r.put("user", mean(ok.stream().mapToDouble(RunResult::userCpuSeconds).toArray()));
            r.put("system", mean(ok.stream().mapToDouble(RunResult::systemCpuSeconds).toArray()));
            r.put("min", t.min());
            r.put("max", t.max());
            r.put("times", times);
            if (ok.stream().allMatch(x -> x.peakRssBytes() > 0)) {
                r.put(
                        "memory_usage_byte",
                        ok.stream().mapToLong(RunResult::peakRssBytes).toArray());
            }
            r.put("exit_codes", ok.stream().mapToInt(RunResult::exitStatus).toArray());
            if (!s.parameters().isEmpty()) {
                r.put("parameters", new LinkedHashMap<>(s.parameters()));
            }
            results.add(r);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("results", results);
        return root;
    }

    public static void write(BenchReport report, Path file) throws IOException {
        Json.MAPPER.writeValue(file.toFile(), render(report));
    }

    /** The command as run: the swept parameters' {NAME} replaced by their values. */
    static String command(String template, Map<String, String> parameters) {
        String c = template;
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            c = c.replace("{" + e.getKey() + "}", e.getValue());
        }
        return c;
    }

    private static Double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return null;
            }
            sum += v;
        }
        return sum / values.length;
    }
}
