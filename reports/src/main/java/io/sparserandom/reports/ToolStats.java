package io.sparserandom.reports;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Statistics of one tool (at one point of a sweep) over its counted runs.
 *
 * @param tool tool name
 * @param parameters the swept parameters' values for these runs; empty without a sweep
 * @param runs counted (non-warm-up) runs, failed ones included
 * @param failed counted runs that failed (exit status, verification, or another reason)
 * @param wall wall time in seconds over the successful counted runs; null if none
 * @param dataBytesPerSecond data bytes copied per second over the successful counted runs; null if
 *     none
 * @param ratio median wall time relative to the reference (the fastest passing tool, or the one
 *     named with --reference); null for a failed tool or when there is no reference to compare with
 * @param outlierRuns run numbers whose wall time is an outlier ({@link Outliers})
 * @param warnings hyperfine-style warnings about these runs, one line each
 * @param serverCpuPerGiB median server CPU seconds per GiB of data copied; null if unknown
 * @param toolCpuPerGiB median tool CPU (user + system) seconds per GiB of data copied; null if
 *     unknown
 */
public record ToolStats(
        String tool,
        Map<String, String> parameters,
        int runs,
        int failed,
        Summary wall,
        Summary dataBytesPerSecond,
        Ratio ratio,
        List<Integer> outlierRuns,
        List<String> warnings,
        Double serverCpuPerGiB,
        Double toolCpuPerGiB) {

    public ToolStats {
        parameters = parameters == null ? Map.of() : parameters;
        outlierRuns = outlierRuns == null ? List.of() : List.copyOf(outlierRuns);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A tool passes when it had at least one counted run and none failed. */
    @JsonProperty(value = "passed", access = JsonProperty.Access.READ_ONLY)
    public boolean passed() {
        return runs > 0 && failed == 0;
    }

    /** The tool's name, with the swept parameters' values when there are any: "nbdcopy rs=1M". */
    @JsonProperty(value = "label", access = JsonProperty.Access.READ_ONLY)
    public String label() {
        return label(tool, parameters);
    }

    static String label(String tool, Map<String, String> parameters) {
        if (parameters.isEmpty()) {
            return tool;
        }
        return tool
                + " "
                + parameters.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" "));
    }
}
