package io.sparserandom.cli;

import io.sparserandom.gate.Catalogue;
import io.sparserandom.gate.GateReport;
import io.sparserandom.gate.GateRunner;
import io.sparserandom.gate.Scenario;
import io.sparserandom.gate.ScenarioResult;
import io.sparserandom.runner.Relaunch;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sparse-random gate [OPTIONS] [DISK PARAMS] CMD}. */
@Command(
        name = "gate",
        addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Run a copy tool once per scenario (latency, block-size limits, I/O errors, disconnects,",
            "corrupt reads...), each time against a fresh verifying server, and judge each outcome.",
            "Benign scenarios must give a complete, verified copy; hostile ones may also fail loudly.",
            "A tool that exits 0 with a wrong copy is a silent-loss, the worst outcome.",
            "",
            "  sparse-random gate 'nbdcopy \"$uri\" \"$uri\"'",
            "  sparse-random gate 1G seed=3 --scenario read-eio --scenario tcp 'qemu-img convert -n \"$uri\" \"$uri\"'",
            ""
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:every scenario passed",
            "1:some scenario failed (silent-loss, broke, hung, not-durable, error)",
            "2:bad command line"
        })
final class GateCommand implements Callable<Integer> {
    static final List<String> DEFAULT_DISK = List.of("8G", "seed=1");

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
            paramLabel = "[PARAM...] CMD",
            arity = "0..*",
            description = {
                "Disk parameters as for serving (default: 8G seed=1; a missing size is 8G, a missing seed 1),"
                        + " then the tool's command, run with /bin/sh -c and $uri as with --run."
            })
    List<String> positional = new ArrayList<>();

    @Option(names = "--list", description = "Print the scenarios (name, class, options) and exit.")
    boolean list;

    @Option(
            names = "--scenario",
            paramLabel = "NAME",
            split = ",",
            description = "Run only this scenario (repeatable, or a comma list). Default: all.")
    List<String> selected = new ArrayList<>();

    @Option(
            names = "--add",
            paramLabel = "NAME='OPTIONS':benign|hostile",
            description =
                    "Add a scenario: any options of the main command, e.g. slow='--delay read:5ms':benign."
                            + " Repeatable.")
    List<String> added = new ArrayList<>();

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "300",
            description =
                    "A scenario still running after this long is killed with all it started:"
                            + " hung (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(
            names = "--require-durable",
            description =
                    "A copy must also be durable (every write covered by FUA or a later flush),"
                            + " else not-durable.")
    boolean requireDurable;

    @Option(
            names = "--junit",
            paramLabel = "FILE",
            description = "JUnit XML, one test case per scenario.")
    Path junit;

    @Option(names = "--json", paramLabel = "FILE", description = "The results as JSON.")
    Path json;

    @Option(names = "--md", paramLabel = "FILE", description = "The results as a Markdown table.")
    Path md;

    @Option(
            names = "--logs",
            paramLabel = "DIR",
            description =
                    "Keep each scenario's output (NAME.log) and verdict (NAME.json) here"
                            + " (default: a temporary folder, removed).")
    Path logs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Scenario> scenarios;
        List<String> disk;
        String command;
        try {
            List<Scenario> extra = new ArrayList<>();
            for (String a : added) {
                extra.add(Scenario.parseAdd(a));
            }
            scenarios = Catalogue.resolve(extra, selected);
            if (list) {
                out.print(listing(scenarios));
                out.flush();
                return 0;
            }
            if (positional.isEmpty()) {
                throw new IllegalArgumentException(
                        "the tool's command is missing, e.g. sparse-random gate 'nbdcopy \"$uri\" \"$uri\"'");
            }
            command = positional.get(positional.size() - 1);
            if (looksLikeDiskParameter(command)) {
                throw new IllegalArgumentException(
                        "the tool's command is missing after the disk parameters ('"
                                + command
                                + "' is a disk parameter), e.g. sparse-random gate 8G 'nbdcopy \"$uri\" \"$uri\"'");
            }
            disk = disk(positional.subList(0, positional.size() - 1));
            DiskArguments.parse(disk);
            if (command.isBlank()) {
                throw new IllegalArgumentException("the tool's command is empty");
            }
            if (timeoutSeconds < 1) {
                throw new IllegalArgumentException(
                        "--timeout: " + timeoutSeconds + " must be at least 1");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path work =
                logs != null
                        ? Files.createDirectories(logs)
                        : Files.createTempDirectory("sparse-random-gate");
        GateRunner runner =
                new GateRunner(
                        disk,
                        command,
                        Duration.ofSeconds(timeoutSeconds),
                        requireDurable,
                        work,
                        GateCommand::launch,
                        err);
        // Every scenario's options are parsed by the main command now, so a typo in --add is a
        // usage error before anything runs rather than one 'error' row per scenario.
        for (Scenario s : scenarios) {
            try {
                Main.commandLine()
                        .parseArgs(runner.arguments(s, work.resolve("x")).toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "scenario " + s.name() + " ('" + s.options() + "'): " + e.getMessage());
            }
        }
        err.println(
                "gate: "
                        + scenarios.size()
                        + " scenario(s), disk "
                        + String.join(" ", disk)
                        + ", command: "
                        + command);
        err.flush();
        List<ScenarioResult> results;
        try {
            results = runner.runAll(scenarios);
        } finally {
            if (logs == null) {
                deleteTree(work);
            }
        }
        GateReport report = new GateReport(command, String.join(" ", disk), results);
        out.print(report.table());
        out.flush();
        write(junit, report.junit());
        write(json, report.json());
        write(md, report.markdown());
        return report.passed() ? 0 : 1;
    }

    /** The main command's own JVM command line for these arguments. */
    private static List<String> launch(List<String> args) {
        List<String> cmd = Relaunch.sameJvm(args);
        if (cmd == null) {
            throw new IllegalStateException(
                    "cannot tell how this JVM was started to run a scenario");
        }
        return cmd;
    }

    private static boolean looksLikeDiskParameter(String word) {
        try {
            DiskArguments.parse(disk(List.of(word)));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The user's disk parameters with the defaults for what they left out. */
    static List<String> disk(List<String> given) {
        boolean size = false;
        boolean seed = false;
        for (String p : given) {
            int eq = p.indexOf('=');
            String key = eq < 0 ? "size" : p.substring(0, eq);
            size |= key.equals("size");
            seed |= key.equals("seed");
        }
        List<String> disk = new ArrayList<>();
        if (!size) {
            disk.add(DEFAULT_DISK.get(0));
        }
        disk.addAll(given);
        if (!seed) {
            disk.add(DEFAULT_DISK.get(1));
        }
        return disk;
    }

    static String listing(List<Scenario> scenarios) {
        int w = "scenario".length();
        int o = "options".length();
        for (Scenario s : scenarios) {
            w = Math.max(w, s.name().length());
            o = Math.max(o, s.options().length());
        }
        String row = "%-" + w + "s  %-7s  %-" + o + "s  %s%n";
        StringBuilder sb =
                new StringBuilder(
                        String.format(Locale.ROOT, row, "scenario", "class", "options", "what"));
        for (Scenario s : scenarios) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            row,
                            s.name(),
                            s.kind().label(),
                            s.options(),
                            s.description()));
        }
        return sb.toString();
    }

    private static void write(Path file, String text) throws IOException {
        if (file != null) {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
