package io.sparserandom.cli;

import io.sparserandom.reports.BenchReport;
import io.sparserandom.reports.Compare;
import io.sparserandom.reports.ReportWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sparse-random report DIR...}: re-render one saved report, or compare several. */
@Command(
        name = "report",
        addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Re-render a saved report (report.json in DIR), or compare several (before/after a change",
            "of a copy tool): the change of each median with its bootstrap interval and a Mann-Whitney",
            "U test. Reports whose disk or tool commands differ are refused unless --force is given."
        })
final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
            paramLabel = "DIR",
            arity = "1..*",
            description = "Report folders (or report.json files).")
    List<Path> dirs;

    @CommandLine.Mixin CompareOptions compare = new CompareOptions();

    @Override
    public Integer call() throws Exception {
        List<BenchReport> reports = new ArrayList<>();
        for (Path d : dirs) {
            Path json = Files.isDirectory(d) ? d.resolve("report.json") : d;
            if (!Files.isRegularFile(json)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "no report.json in " + d);
            }
            try {
                reports.add(BenchReport.read(json));
            } catch (Exception e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        json + ": not a sparse-random report (" + e.getMessage() + ")");
            }
        }
        if (reports.size() == 1) {
            Path dir =
                    Files.isDirectory(dirs.get(0))
                            ? dirs.get(0)
                            : dirs.get(0).toAbsolutePath().getParent();
            ReportWriter.Written w = ReportWriter.writeAll(reports.get(0), dir);
            for (Path f : List.of(w.json(), w.markdown(), w.html(), w.junit())) {
                spec.commandLine().getOut().println("wrote " + f);
            }
        } else {
            List<String> differences = Compare.differences(reports);
            if (!differences.isEmpty()) {
                java.io.PrintWriter err = spec.commandLine().getErr();
                err.println(
                        "report: the reports measured different things"
                                + (compare.force ? " (compared anyway: --force):" : ":"));
                differences.forEach(d -> err.println("  " + d));
                if (!compare.force) {
                    err.println("report: give --force to compare them anyway");
                    err.flush();
                    return 2;
                }
                err.flush();
            }
            spec.commandLine().getOut().print(Compare.render(reports));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
