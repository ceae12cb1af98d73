package io.sparserandom.cli;

import io.sparserandom.generator.DiskParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The disk the main command's arguments describe, read before picocli builds its model: a run that
 * must start again with C2 or the Vector API ({@link io.sparserandom.runner.Relaunch}) then costs
 * the first JVM its start alone, not also picocli's tenth of a second. Only an optimization: when
 * the arguments are anything but plain (a subcommand, an @file, a parameter it cannot read), it
 * answers null and the command decides after parsing, as every run also does.
 */
final class EarlyArguments {
    /**
     * The main command's options that take their value as the next argument. {@code
     * EarlyArgumentsTest} checks this against picocli's model of the command.
     */
    static final Set<String> VALUE_OPTIONS =
            Set.of(
                    "-U",
                    "--unix",
                    "-p",
                    "--port",
                    "-i",
                    "--ipaddr",
                    "-e",
                    "--exportname",
                    "--run",
                    "--verdict",
                    "--junit",
                    "--metrics-port",
                    "--error",
                    "--delay",
                    "--rate",
                    "--block-size",
                    "--block-size-policy",
                    "--disconnect-after",
                    "--corrupt-reads",
                    "--fault-seed",
                    "--tls",
                    "--tls-certificates",
                    "--max-connections");

    private EarlyArguments() {}

    /** The disk's parameters, or null when the arguments are not plainly the main command's. */
    static DiskParams diskParams(String[] args) {
        List<String> params = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!optionsEnded && a.equals("--")) {
                optionsEnded = true;
            } else if (!optionsEnded && a.startsWith("-")) {
                if (VALUE_OPTIONS.contains(a)) {
                    i++;
                }
            } else if (!optionsEnded && (Main.isSubcommand(a) || a.startsWith("@"))) {
                return null;
            } else {
                params.add(a);
            }
        }
        try {
            return DiskArguments.parse(params).params();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
