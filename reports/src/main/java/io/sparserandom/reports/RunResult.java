package io.sparserandom.reports;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One timed run of one copy tool (a self-copy through the verifying server).
 *
 * @param tool tool name, as in {@link ToolInfo#name()}
 * @param run 1..N for counted runs, 0 for the warm-up
 * @param warmup true for the warm-up run, which is never counted in statistics
 * @param wallSeconds elapsed wall-clock time of the tool process
 * @param userCpuSeconds user CPU time of the tool process (and its children)
 * @param systemCpuSeconds system CPU time of the tool process (and its children)
 * @param peakRssBytes peak resident set size of the tool process, or 0 if unknown
 * @param serverCpuSeconds CPU time our server spent during the run
 * @param virtualBytes size of the disk (the virtual size that was copied)
 * @param dataBytes data bytes actually copied (excluding holes/zeroes skipped)
 * @param exitStatus exit status of the tool process
 * @param verified true when the server verified every written byte and the whole disk was covered
 * @param failure null, or a one-line reason why the run failed
 * @param parameters the values of the swept parameters (--param) for this run; empty without a
 *     sweep
 */
public record RunResult(
        String tool,
        int run,
        boolean warmup,
        double wallSeconds,
        double userCpuSeconds,
        double systemCpuSeconds,
        long peakRssBytes,
        double serverCpuSeconds,
        long virtualBytes,
        long dataBytes,
        int exitStatus,
        boolean verified,
        String failure,
        Map<String, String> parameters) {

    public RunResult {
        parameters =
                parameters == null
                        ? Map.of()
                        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** A run outside a sweep. */
    public RunResult(
            String tool,
            int run,
            boolean warmup,
            double wallSeconds,
            double userCpuSeconds,
            double systemCpuSeconds,
            long peakRssBytes,
            double serverCpuSeconds,
            long virtualBytes,
            long dataBytes,
            int exitStatus,
            boolean verified,
            String failure) {
        this(
                tool,
                run,
                warmup,
                wallSeconds,
                userCpuSeconds,
                systemCpuSeconds,
                peakRssBytes,
                serverCpuSeconds,
                virtualBytes,
                dataBytes,
                exitStatus,
                verified,
                failure,
                Map.of());
    }

    /**
     * A run succeeded when the tool exited 0, every write verified and nothing else reported a
     * failure.
     */
    @JsonProperty(value = "succeeded", access = JsonProperty.Access.READ_ONLY)
    public boolean succeeded() {
        return exitStatus == 0 && verified && failure == null;
    }

    /** Why this run failed, in one line, or null if it succeeded. */
    public String failureReason() {
        if (failure != null) {
            return failure;
        }
        if (exitStatus != 0) {
            return "exit status " + exitStatus;
        }
        if (!verified) {
            return "not verified";
        }
        return null;
    }

    /** Disk size over wall time; 0 when the wall time is not positive. */
    @JsonProperty(value = "virtualBytesPerSecond", access = JsonProperty.Access.READ_ONLY)
    public double virtualBytesPerSecond() {
        return wallSeconds > 0 ? virtualBytes / wallSeconds : 0;
    }

    /** Data bytes copied over wall time; 0 when the wall time is not positive. */
    @JsonProperty(value = "dataBytesPerSecond", access = JsonProperty.Access.READ_ONLY)
    public double dataBytesPerSecond() {
        return wallSeconds > 0 ? dataBytes / wallSeconds : 0;
    }
}
