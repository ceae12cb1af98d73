package io.sparserandom.cli;

import io.sparserandom.generator.DiskParams;
import io.sparserandom.runner.Relaunch;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Entry point: logging set up from the arguments, then picocli. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        Relaunch.rememberArgs(args);
        // A plain line of the main command, read without picocli's model (FastPath), or null. Its
        // disk tells now whether this run must start again with C2 or the Vector API, before
        // anything else is spent; other lines are decided after picocli's parse.
        SparseRandomCommand plain = FastPath.parse(args);
        DiskParams disk = plain == null ? null : FastPath.diskParams(plain);
        if (disk != null) {
            Integer relaunched =
                    Relaunch.ifNeeded(Relaunch.wantsVector(disk), Relaunch.wantsFullJit(disk));
            if (relaunched != null) {
                System.exit(relaunched);
            }
        }
        System.exit(run(args, true, plain));
    }

    static boolean isSubcommand(String arg) {
        return SUBCOMMANDS.containsKey(arg);
    }

    /** The subcommands, in the order the main help lists them. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("bench", BenchCommand::new);
        SUBCOMMANDS.put("report", ReportCommand::new);
        SUBCOMMANDS.put("copy", CopyCommand::new);
        SUBCOMMANDS.put("gate", GateCommand::new);
        SUBCOMMANDS.put("serve", ServeCommand::new);
        SUBCOMMANDS.put("verdict", VerdictCommand::new);
        SUBCOMMANDS.put("learn", LearnCommand::new);
    }

    /** Runs the command line and returns the exit status (used by tests too). */
    public static int run(String... args) {
        return run(args, false, null);
    }

    private static int run(String[] args, boolean warmUp, SparseRandomCommand plain) {
        List<String> list = Arrays.asList(args);
        configureLogging(
                list.contains("-v") || list.contains("--verbose"),
                !list.contains("--run") && !list.contains("--self-copy"));
        // After the logging set-up, which Netty's first logger reads.
        if (warmUp && servesADisk(list)) {
            WarmUp.start();
        }
        Integer status = plain == null ? null : FastPath.execute(plain);
        if (status != null) {
            return status;
        }
        return commandLine(args).execute(args);
    }

    /** Whether these arguments run the main command, which starts a server, rather than help. */
    private static boolean servesADisk(List<String> args) {
        for (String arg : args) {
            if (SUBCOMMANDS.containsKey(arg)
                    || arg.startsWith("@")
                    || List.of("-h", "--help", "-V", "--version").contains(arg)) {
                return false;
            }
        }
        return !args.isEmpty();
    }

    /** The whole command line: the main command and every subcommand. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SparseRandomCommand());
        SUBCOMMANDS.forEach((name, command) -> cl.addSubcommand(name, command.get()));
        return withHandlers(cl);
    }

    /**
     * The command line for these arguments. picocli builds each command's model by reflection at
     * start-up (docs/performance.md), so the subcommands' models are built only when an argument
     * names one (or may: an {@code @file}). A main command without them asked for its help, or
     * given arguments it cannot parse, hands over to the whole command line, so the help lists the
     * subcommands and every error reads as before.
     */
    static CommandLine commandLine(String... args) {
        for (String arg : args) {
            if (SUBCOMMANDS.containsKey(arg) || arg.startsWith("@")) {
                return commandLine();
            }
        }
        CommandLine cl = withHandlers(new CommandLine(new SparseRandomCommand()));
        boolean[] parsed = {false};
        CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
        cl.setExecutionStrategy(
                parseResult -> {
                    parsed[0] = true;
                    return parseResult.isUsageHelpRequested()
                            ? whole(cl).execute(args)
                            : runLast.execute(parseResult);
                });
        CommandLine.IParameterExceptionHandler onError = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler(
                (ex, rest) ->
                        parsed[0]
                                ? onError.handleParseException(ex, rest)
                                : whole(cl).execute(args));
        return cl;
    }

    /** The whole command line, printing where {@code partial} prints. */
    private static CommandLine whole(CommandLine partial) {
        CommandLine cl = commandLine();
        cl.setOut(partial.getOut());
        cl.setErr(partial.getErr());
        return cl;
    }

    private static CommandLine withHandlers(CommandLine cl) {
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

    /**
     * slf4j-simple from system properties. A run that ends with its command ({@code --run}) stamps
     * its lines with milliseconds since start rather than the time of day: the time-of-day format
     * loads the time-zone database and the locale's calendar data, 45-127 ms of a start-up.
     */
    private static void configureLogging(boolean verbose, boolean timeOfDay) {
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        if (timeOfDay) {
            setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        }
        setIfAbsent("org.slf4j.simpleLogger.log.io.netty", verbose ? "info" : "warn");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
