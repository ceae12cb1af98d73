package io.sparserandom.cli;

import io.sparserandom.reports.BenchReport;
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
                    "Counted runs per tool (default ${DEFAULT-VALUE}, the fewest that give a 95 %"
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

    @Option(
            names = {"-v", "--verbose"},
            description = "Debug logging on stderr.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outWriter = spec.commandLine().getOut();
        DiskArguments.Parsed parsed;
        List<ToolSpec> tools;
        try {
            parsed = DiskArguments.parse(params);
            if (repeat < 1) {
                throw new IllegalArgumentException("--repeat: " + repeat + " must be at least 1");
            }
            if (timeoutSeconds < 1) {
                throw new IllegalArgumentException(
                        "--timeout: " + timeoutSeconds + " must be at least 1");
            }
            tools = resolveTools();
            statistics.check(tools.stream().map(ToolSpec::name).toList());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Integer relaunched = Relaunch.ifNeeded(parsed.params().randomContent());
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
        err.printf(
                "bench: disk %s; tools: %s; %d run(s) each after one warm-up%n",
                CaptiveServer.describe(parsed.params()),
                String.join(
                        ", ",
                        tools.stream()
                                .map(t -> t.name() + (t.available() ? "" : " (not installed)"))
                                .toList()),
                repeat);
        err.flush();
        // JDK 17: System.console() is null exactly when stdin or stdout is not a terminal.
        @SuppressWarnings("SystemConsoleNull")
        boolean terminal = System.console() != null;
        Bench bench =
                new Bench(
                        parsed.params(),
                        tools,
                        repeat,
                        tcp,
                        Duration.ofSeconds(timeoutSeconds),
                        err,
                        terminal);
        BenchReport report = bench.run().withReference(statistics.reference);
        ReportWriter.Written w = ReportWriter.writeAll(report, dir);
        List<Path> files = List.of(w.json(), w.markdown(), w.html(), w.junit());
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
