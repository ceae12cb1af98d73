package io.sparserandom.reports;

/**
 * A copy tool taking part in a benchmark.
 *
 * @param name short name used in runs and profiles (e.g. "nbdcopy")
 * @param command the command line used, with the URIs as placeholders
 * @param version the tool's version string, or null if unknown
 * @param available false if the tool is not installed; then it has no runs
 * @param unavailableReason null, or why the tool could not be used
 */
public record ToolInfo(
        String name, String command, String version, boolean available, String unavailableReason) {

    public static ToolInfo available(String name, String command, String version) {
        return new ToolInfo(name, command, version, true, null);
    }

    public static ToolInfo unavailable(String name, String command, String reason) {
        return new ToolInfo(name, command, null, false, reason);
    }
}
