package io.sparserandom.cli;

import io.sparserandom.generator.DiskParams;
import io.sparserandom.reports.BenchReport;
import io.sparserandom.reports.HyperfineExport;
import io.sparserandom.reports.ReportWriter;
import io.sparserandom.reports.TerminalTable;
import io.sparserandom.runner.Bench;
import io.sparserandom.runner.CaptiveServer;
import io.sparserandom.runner.Relaunch;
import io.sparserandom.runner.ToolSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sparse-random bench SIZE [PARAM...] [--tool NAME[=COMMAND]]... [--repeat N] [--out DIR]}.
 */
@Command(
        name = "bench",
        addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Time copy tools side by side: each copies the same verified disk onto itself, one warm-up run",
            "each, then --repeat runs with the tools interleaved; writes report.json, report.md,",
            "report.html and junit.xml. A run whose verdict fails is reported as failed, never timed.",
            "",
            "  sparse-random bench 64G",
            "  sparse-random bench 1T --tool nbdcopy --tool 'qemu-img=qemu-img convert -n \"$uri\" \"$uri\"' --repeat 3",
            "  sparse-random bench 64G --param rs=65536,1048576 --tool 'nbdcopy=nbdcopy --request-size={rs} \"$uri\" \"$uri\"'",
            ""
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:every run of every installed tool verified",
            "1:some run failed",
            "2:bad command line"
        })
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin FaultOptions faultOptions = new FaultOptions();

    @Parameters(
            paramLabel = "PARAM",
            arity = "0..*",
            description =
                    "Disk parameters as for serving: [size=]SIZE seed=N percent=P runlength=BYTES"
                            + " random-content=BOOL compat=nbdkit. One seed is used for every tool (random if not given, printed).")
    List<String> params = new ArrayList<>();

    @Option(
            names = "--tool",
            paramLabel = "NAME[=COMMAND]",
            description =
                    "A tool to time: a known one (builtin, nbdcopy, qemu-img) or NAME=COMMAND using $uri like --run."
                            + " Repeatable. The built-in copier always runs. Default: builtin, nbdcopy and qemu-img when installed.")
    List<String> toolSpecs = new ArrayList<>();

    @Option(
            names = "--repeat",
            paramLabel = "N",
            defaultValue = "6",
            description =
                    "Counted runs per tool (default ${DEFAULT-VALUE}, the fewest that give a 95 %%"
                            + " interval of the median).")
    int repeat;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Report folder (default reports/<timestamp>/).")
    Path out;

    @Option(
            names = "--tcp",
            description = "Serve on TCP 127.0.0.1 instead of a private unix socket.")
    boolean tcp;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "3600",
            description = "A run taking longer is killed and failed (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @CommandLine.Mixin StatisticsOptions statistics = new StatisticsOptions();

    @CommandLine.Mixin SweepOptions sweep = new SweepOptions();

    @Option(
            names = {"-v", "--verbose"},
            description = "Debug logging on stderr.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outWriter = spec.commandLine().getOut();
        List<Bench.Point> points;
        Bench.Sweep sweepPlan;
        try {
            if (repeat < 1) {
                throw new IllegalArgumentException("--repeat: " + repeat + " must be at least 1");
            }
            if (timeoutSeconds < 1) {
                throw new IllegalArgumentException(
                        "--timeout: " + timeoutSeconds + " must be at least 1");
            }
            Map<String, List<String>> swept = sweep.parse();
            if (swept.isEmpty()) {
                points =
                        List.of(
                                new Bench.Point(
                                        Map.of(),
                                        DiskArguments.parse(params).params(),
                                        resolveTools(),
                                        faultOptions.plan(spec)));
                sweepPlan = Bench.Sweep.NONE;
            } else {
                points = sweepPoints(swept);
                sweepPlan = new Bench.Sweep(swept, toolTemplates());
            }
            statistics.check(points.get(0).tools().stream().map(ToolSpec::name).toList());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // C2 whatever the disk: the servers run in this JVM, one after the other, and any row may
        // be large.
        Integer relaunched =
                Relaunch.ifNeeded(
                        points.stream().anyMatch(p -> Relaunch.wantsVector(p.params())), true);
        if (relaunched != null) {
            return relaunched;
        }
        Path dir =
                out != null
                        ? out
                        : Path.of(
                                "reports",
                                LocalDateTime.now(ZoneId.systemDefault())
                                        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        for (Bench.Point p : points) {
            err.printf(
                    "bench: %sdisk %s; tools: %s; %d run(s) each after one warm-up%n",
                    p.parameters().isEmpty() ? "" : p.parameters() + ": ",
                    CaptiveServer.describe(p.params()),
                    String.join(
                            ", ",
                            p.tools().stream()
                                    .map(t -> t.name() + (t.available() ? "" : " (not installed)"))
                                    .toList()),
                    repeat);
        }
        err.flush();
        // JDK 17: System.console() is null exactly when stdin or stdout is not a terminal.
        @SuppressWarnings("SystemConsoleNull")
        boolean terminal = System.console() != null;
        Bench bench =
                new Bench(
                        points,
                        sweepPlan,
                        repeat,
                        tcp,
                        Duration.ofSeconds(timeoutSeconds),
                        err,
                        terminal);
        BenchReport report = bench.run().withReference(statistics.reference);
        ReportWriter.Written w = ReportWriter.writeAll(report, dir);
        List<Path> files = new ArrayList<>(w.all());
        if (statistics.exportHyperfine != null) {
            HyperfineExport.write(report, statistics.exportHyperfine);
            files.add(statistics.exportHyperfine);
        }
        outWriter.println();
        outWriter.print(TerminalTable.render(report));
        boolean failed = TerminalTable.anyFailed(report);
        outWriter.println();
        for (Path f : files) {
            outWriter.println("wrote " + f);
        }
        outWriter.flush();
        return failed ? 1 : 0;
    }

    /**
     * One point per combination of the swept values: the command line (without --param) with {NAME}
     * substituted, parsed again from scratch, so every option gets the values. A seed chosen at
     * random is chosen once, for every point.
     */
    private List<Bench.Point> sweepPoints(Map<String, List<String>> swept) {
        // The original words start with the parent command's; ours follow our name.
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf(spec.name());
        List<String> args = SweepOptions.withoutSweep(all.subList(at + 1, all.size()));
        SweepOptions.checkUsed(swept, args);
        List<Bench.Point> points = new ArrayList<>();
        Long seed = null;
        for (Map<String, String> values : SweepOptions.product(swept)) {
            BenchCommand point = new BenchCommand();
            try {
                new CommandLine(point)
                        .parseArgs(SweepOptions.substitute(args, values).toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                throw new IllegalArgumentException(values + ": " + e.getMessage(), e);
            }
            DiskParams disk;
            try {
                DiskArguments.Parsed parsed = DiskArguments.parse(point.params);
                disk = parsed.params();
                if (parsed.randomSeed() && seed != null) {
                    disk =
                            new DiskParams(
                                    disk.size(),
                                    seed,
                                    disk.percent(),
                                    disk.runlength(),
                                    disk.randomContent(),
                                    disk.model());
                }
                seed = seed == null ? disk.seed() : seed;
                points.add(
                        new Bench.Point(
                                values,
                                disk,
                                point.resolveTools(),
                                point.faultOptions.plan(point.spec)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(values + ": " + e.getMessage(), e);
            }
        }
        return points;
    }

    /** Each tool's command as written, {NAME} placeholders and all, for the report. */
    private Map<String, String> toolTemplates() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : toolSpecs) {
            int eq = s.indexOf('=');
            if (eq > 0) {
                out.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
            }
        }
        return out;
    }

    private List<ToolSpec> resolveTools() {
        if (toolSpecs.isEmpty()) {
            return ToolSpec.defaults();
        }
        Map<String, ToolSpec> byName = new LinkedHashMap<>();
        byName.put(ToolSpec.BUILTIN, ToolSpec.builtin());
        for (String s : toolSpecs) {
            ToolSpec t = ToolSpec.parse(s);
            if (byName.containsKey(t.name()) && !t.name().equals(ToolSpec.BUILTIN)) {
                throw new IllegalArgumentException("--tool: '" + t.name() + "' given twice");
            }
            byName.put(t.name(), t);
        }
        return List.copyOf(byName.values());
    }
}
