package io.sparserandom.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** bench's options about how results are compared and exported. */
final class StatisticsOptions {

    @Option(
            names = "--reference",
            paramLabel = "TOOL",
            description =
                    "Give every tool's ratio to TOOL's median wall time (at the same sweep point)"
                            + " instead of to the fastest tool's.")
    String reference;

    /** A usage error unless the reference names one of {@code tools}. */
    void check(List<String> tools) {
        if (reference != null && !tools.contains(reference)) {
            throw new IllegalArgumentException(
                    "--reference: '"
                            + reference
                            + "' is not one of the tools ("
                            + String.join(", ", tools)
                            + ")");
        }
    }
}
