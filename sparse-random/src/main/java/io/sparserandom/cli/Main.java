package io.sparserandom.cli;

import io.sparserandom.runner.Relaunch;
import java.util.Arrays;
import picocli.CommandLine;

/** Entry point: logging set up from the arguments, then picocli. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Relaunch.rememberArgs(args);
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (used by tests too). */
    public static int run(String... args) {
        configureLogging(
                Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose"));
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl =
                new CommandLine(new SparseRandomCommand())
                        .addSubcommand("bench", new BenchCommand())
                        .addSubcommand("report", new ReportCommand())
                        .addSubcommand("copy", new CopyCommand())
                        .addSubcommand("gate", new GateCommand())
                        .addSubcommand("serve", new ServeCommand())
                        .addSubcommand("verdict", new VerdictCommand())
                        .addSubcommand("learn", new LearnCommand());
        cl.setParameterExceptionHandler(
                (ex, args) -> {
                    ex.getCommandLine().getErr().println("sparse-random: " + ex.getMessage());
                    return CommandLine.ExitCode.USAGE;
                });
        cl.setExecutionExceptionHandler(
                (ex, commandLine, parseResult) -> {
                    commandLine.getErr().println("sparse-random: error: " + ex);
                    return 1;
                });
        return cl;
    }

    private static void configureLogging(boolean verbose) {
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        setIfAbsent("org.slf4j.simpleLogger.log.io.netty", verbose ? "info" : "warn");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
