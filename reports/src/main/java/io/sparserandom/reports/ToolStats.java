package io.sparserandom.reports;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Statistics of one tool over its counted runs.
 *
 * @param tool tool name
 * @param runs counted (non-warm-up) runs, failed ones included
 * @param failed counted runs that failed (exit status, verification, or another reason)
 * @param wall wall time in seconds over the successful counted runs; null if none
 * @param dataBytesPerSecond data bytes copied per second over the successful counted runs; null if
 *     none
 * @param ratioToFastest median wall time relative to the fastest passing tool; null for a failed
 *     tool or when no tool passed
 */
public record ToolStats(
        String tool,
        int runs,
        int failed,
        Summary wall,
        Summary dataBytesPerSecond,
        Ratio ratioToFastest) {

    /** A tool passes when it had at least one counted run and none failed. */
    @JsonProperty(value = "passed", access = JsonProperty.Access.READ_ONLY)
    public boolean passed() {
        return runs > 0 && failed == 0;
    }
}
