package io.sparserandom.reports;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a benchmark produced: what ran, where, on which disk, and every run's measurements.
 * Statistics are derived ({@link #statistics()}), never stored as input.
 *
 * @param schema {@link #SCHEMA}
 * @param started when the benchmark started
 * @param finished when it finished
 * @param machine the machine it ran on
 * @param disk the disk parameters (size, seed, percent, runlength, random-content, compat) as
 *     strings
 * @param repeat counted runs per tool
 * @param tools the tools, available or not
 * @param runs every run, warm-ups included, in the order they ran
 * @param profiles the command profile of each tool (from one of its runs), by tool name
 * @param notes one-line notes on how the runs were measured (e.g. what could not be measured)
 * @param parameters the swept parameters (--param NAME=V1,V2,...) and their values, in order; empty
 *     without a sweep
 * @param reference the tool ratios are taken to (--reference), or null for the fastest tool
 */
public record BenchReport(
        String schema,
        Instant started,
        Instant finished,
        Machine machine,
        Map<String, String> disk,
        int repeat,
        List<ToolInfo> tools,
        List<RunResult> runs,
        Map<String, ToolProfile> profiles,
        List<String> notes,
        Map<String, List<String>> parameters,
        String reference) {

    public static final String SCHEMA = "sparse-random-report/2";

    /**
     * Schema 1 differs only in derived statistics (a t interval of the mean where 2 has an interval
     * of the median), which are recomputed on reading, so its reports read as they are.
     */
    static final java.util.Set<String> READABLE =
            java.util.Set.of("sparse-random-report/1", SCHEMA);

    public BenchReport {
        disk =
                disk == null
                        ? Map.of()
                        : java.util.Collections.unmodifiableMap(
                                new java.util.LinkedHashMap<>(disk));
        tools = tools == null ? List.of() : List.copyOf(tools);
        runs = runs == null ? List.of() : List.copyOf(runs);
        profiles =
                profiles == null
                        ? Map.of()
                        : java.util.Collections.unmodifiableMap(
                                new java.util.LinkedHashMap<>(profiles));
        notes = notes == null ? List.of() : List.copyOf(notes);
        parameters =
                parameters == null
                        ? Map.of()
                        : java.util.Collections.unmodifiableMap(
                                new java.util.LinkedHashMap<>(parameters));
    }

    /** A report without a sweep, with ratios to the fastest tool. */
    public BenchReport(
            String schema,
            Instant started,
            Instant finished,
            Machine machine,
            Map<String, String> disk,
            int repeat,
            List<ToolInfo> tools,
            List<RunResult> runs,
            Map<String, ToolProfile> profiles,
            List<String> notes) {
        this(
                schema, started, finished, machine, disk, repeat, tools, runs, profiles, notes,
                Map.of(), null);
    }

    /** A report without notes. */
    public BenchReport(
            String schema,
            Instant started,
            Instant finished,
            Machine machine,
            Map<String, String> disk,
            int repeat,
            List<ToolInfo> tools,
            List<RunResult> runs,
            Map<String, ToolProfile> profiles) {
        this(schema, started, finished, machine, disk, repeat, tools, runs, profiles, List.of());
    }

    /** This report with ratios taken to {@code tool} (null: to the fastest tool). */
    public BenchReport withReference(String tool) {
        return new BenchReport(
                schema,
                started,
                finished,
                machine,
                disk,
                repeat,
                tools,
                runs,
                profiles,
                notes,
                parameters,
                tool);
    }

    /** Per-tool statistics over counted runs; see {@link Statistics#compute}. */
    @JsonProperty(value = "statistics", access = JsonProperty.Access.READ_ONLY)
    public List<ToolStats> statistics() {
        return Statistics.compute(tools, runs, reference);
    }

    /** Reads a report.json written by {@link ReportWriter} (derived fields in it are ignored). */
    public static BenchReport read(Path file) throws IOException {
        BenchReport report = Json.MAPPER.readValue(file.toFile(), BenchReport.class);
        if (!READABLE.contains(report.schema())) {
            throw new IOException(
                    file + ": unsupported schema " + report.schema() + ", expected " + SCHEMA);
        }
        return report;
    }

    /** Writes this report (with statistics) as pretty-printed JSON. */
    public void write(Path file) throws IOException {
        Json.MAPPER.writeValue(file.toFile(), this);
    }
}
