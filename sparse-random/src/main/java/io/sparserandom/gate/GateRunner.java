package io.sparserandom.gate;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs each scenario as a child process of the main command itself ({@code [DISK] OPTIONS
 * --check-complete --verdict FILE --run CMD}), one after the other, each against a fresh server,
 * and judges it from the verdict file. Going through the command line keeps the gate ignorant of
 * the option classes: whatever the main command accepts works in a scenario.
 */
public final class GateRunner {
    private final List<String> disk;
    private final String command;
    private final Duration timeout;
    private final boolean requireDurable;
    private final Path workDir;
    private final Function<List<String>, List<String>> launcher;
    private final PrintWriter progress;
    private volatile Process current;

    /**
     * @param disk the disk parameters, as arguments
     * @param command the tool's shell command, with {@code $uri}
     * @param workDir where each scenario's verdict and output go ({@code NAME.json}, {@code
     *     NAME.log})
     * @param launcher turns the main command's arguments into a full process command line
     * @param progress one line per scenario as it ends
     */
    public GateRunner(
            List<String> disk,
            String command,
            Duration timeout,
            boolean requireDurable,
            Path workDir,
            Function<List<String>, List<String>> launcher,
            PrintWriter progress) {
        this.disk = List.copyOf(disk);
        this.command = command;
        this.timeout = timeout;
        this.requireDurable = requireDurable;
        this.workDir = workDir;
        this.launcher = launcher;
        this.progress = progress;
    }

    /** The main command's arguments for one scenario. */
    public List<String> arguments(Scenario s, Path verdict) {
        List<String> args = new ArrayList<>(disk);
        args.addAll(s.words());
        args.addAll(List.of("--check-complete", "--verdict", verdict.toString(), "--run", command));
        return args;
    }

    public List<ScenarioResult> runAll(List<Scenario> scenarios)
            throws IOException, InterruptedException {
        // Ctrl-C on the gate must not leave a scenario's server and tool running.
        Thread stop = new Thread(this::killCurrent);
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            List<ScenarioResult> results = new ArrayList<>();
            for (int i = 0; i < scenarios.size(); i++) {
                Scenario s = scenarios.get(i);
                ScenarioResult r = run(s);
                results.add(r);
                progress.printf(
                        Locale.ROOT,
                        "gate: [%d/%d] %s: %s (%.1f s)%n",
                        i + 1,
                        scenarios.size(),
                        s.name(),
                        r.outcome().label(),
                        r.seconds());
                progress.flush();
            }
            return results;
        } finally {
            Runtime.getRuntime().removeShutdownHook(stop);
        }
    }

    ScenarioResult run(Scenario s) throws IOException, InterruptedException {
        Path verdict = workDir.resolve(s.name() + ".json");
        Path log = workDir.resolve(s.name() + ".log");
        Files.deleteIfExists(verdict);
        ProcessBuilder pb =
                new ProcessBuilder(launcher.apply(arguments(s, verdict)))
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        current = p;
        boolean finished;
        try {
            finished = p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (!finished) {
                killCurrent();
                p.waitFor();
            }
        } finally {
            current = null;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!finished) {
            return new ScenarioResult(s, Judgement.hung(seconds), null, seconds);
        }
        VerdictFacts facts = null;
        if (Files.isRegularFile(verdict)) {
            try {
                facts = VerdictFacts.read(verdict);
            } catch (IOException e) {
                facts = null;
            }
        }
        if (facts == null) {
            return new ScenarioResult(
                    s, Judgement.error(p.exitValue(), lastLine(log)), null, seconds);
        }
        if (s.words().stream().noneMatch(w -> w.startsWith("--error"))) {
            // Disconnects and bit flips are not counted as injected errors: say nothing of them.
            facts = facts.withoutInjectedErrors();
        }
        return new ScenarioResult(s, Judgement.of(s.kind(), facts, requireDurable), facts, seconds);
    }

    /** Kills the running scenario and everything it started, children first. */
    private void killCurrent() {
        Process p = current;
        if (p != null) {
            // Collect first: once the parent dies, its children are re-parented and lost to us.
            List<ProcessHandle> tree = p.descendants().toList();
            p.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i);
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
