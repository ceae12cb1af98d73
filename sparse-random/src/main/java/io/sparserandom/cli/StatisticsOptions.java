package io.sparserandom.cli;

import java.nio.file.Path;
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

    @Option(
            names = "--export-hyperfine",
            paramLabel = "FILE",
            description =
                    "Also write the runs in hyperfine's --export-json schema (successful counted"
                            + " runs only), for its plotting scripts.")
    Path exportHyperfine;

    /**
     * A usage error unless the reference names one of {@code tools} and the export can be written.
     */
    void check(List<String> tools) {
        if (exportHyperfine != null) {
            Path parent = exportHyperfine.toAbsolutePath().getParent();
            if (parent == null || !java.nio.file.Files.isDirectory(parent)) {
                throw new IllegalArgumentException(
                        "--export-hyperfine: '"
                                + exportHyperfine
                                + "': no such directory "
                                + parent);
            }
        }
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
