package io.sparserandom.cli;

import picocli.CommandLine.Option;

/** {@code --check-durable}: the copy must be durable when the tool leaves (exit 5 otherwise). */
public final class DurabilityOptions {
    @Option(
            names = "--check-durable",
            description =
                    "Fail (exit 5) unless every accepted write, zero and trim was made durable"
                            + " (FUA, or a FLUSH after its reply; on any connection only with multi-conn).")
    boolean checkDurable;

    public boolean checkDurable() {
        return checkDurable;
    }
}
