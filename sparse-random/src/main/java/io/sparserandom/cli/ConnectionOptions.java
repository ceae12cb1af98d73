package io.sparserandom.cli;

import io.sparserandom.server.NbdServer;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --max-connections N}: how many clients may be connected at once. */
public final class ConnectionOptions {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            description =
                    "Clients connected at once (default "
                            + NbdServer.DEFAULT_MAX_CONNECTIONS
                            + "); past it a new connection takes the place of the oldest one"
                            + " still in its handshake, or is closed at once when all are past it"
                            + " (logged once per burst).")
    Integer maxConnections;

    /** The checked value; a number below 1 is a usage error. */
    int maxConnections() {
        return maxConnections(mixee::commandLine);
    }

    /** The same, naming a command line only when the number is bad. */
    int maxConnections(Supplier<CommandLine> commandLine) {
        if (maxConnections == null) {
            return NbdServer.DEFAULT_MAX_CONNECTIONS;
        }
        if (maxConnections < 1) {
            throw new CommandLine.ParameterException(
                    commandLine.get(),
                    "--max-connections: " + maxConnections + " is not a positive number");
        }
        return maxConnections;
    }
}
