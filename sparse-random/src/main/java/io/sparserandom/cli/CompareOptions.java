package io.sparserandom.cli;

import picocli.CommandLine.Option;

/** report's options for comparing several reports. */
final class CompareOptions {

    @Option(
            names = "--force",
            description =
                    "Compare reports even when their disks or tool commands differ (the"
                            + " differences are still printed).")
    boolean force;
}
