package io.sparserandom.runner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs a tool's shell command against an endpoint and accounts for it: wall time, and the kernel's
 * CPU time and peak RSS of the command and of everything it waited for (wait4() in rusage.py, run
 * by python3). Without that python3 the command still runs, through /bin/sh alone, and its CPU and
 * RSS are unknown: {@link #accountingNote()} says so in one line.
 */
public final class ToolRunner implements AutoCloseable {
    /**
     * The python3 that runs the wait4() wrapper; a system property so that tests can take it away.
     */
    public static final String PYTHON_PROPERTY = "sparse-random.python";

    private static final String DEFAULT_PYTHON = "/usr/bin/python3";

    private final Path python;
    private final Path script;
    private final String note;

    private ToolRunner(Path python, Path script, String note) {
        this.python = python;
        this.script = script;
        this.note = note;
    }

    /**
     * Uses the python3 named by {@value #PYTHON_PROPERTY}, by default Debian's /usr/bin/python3.
     */
    public static ToolRunner create() throws IOException {
        return create(Path.of(System.getProperty(PYTHON_PROPERTY, DEFAULT_PYTHON)));
    }

    static ToolRunner create(Path python) throws IOException {
        if (!Files.isExecutable(python) || Files.isDirectory(python)) {
            return new ToolRunner(
                    null,
                    null,
                    python + " not found: the tools' CPU time and peak RSS were not measured");
        }
        Path script = Files.createTempFile("sparse-random-rusage", ".py");
        try (InputStream in = ToolRunner.class.getResourceAsStream("rusage.py")) {
            Files.write(script, in.readAllBytes());
        }
        return new ToolRunner(python, script, null);
    }

    /** Null when CPU and RSS are measured; else why not, in one line. */
    public String accountingNote() {
        return note;
    }

    /**
     * One run: its exit status (128+N for a signal), wall time, CPU seconds (NaN when unknown),
     * peak RSS (-1 when unknown), whether it was killed for taking too long, and the last line it
     * printed.
     */
    public record Outcome(
            int exitStatus,
            double wallSeconds,
            double userSeconds,
            double systemSeconds,
            long peakRssBytes,
            boolean timedOut,
            String lastLine) {}

    /**
     * Runs {@code command} with /bin/sh -c and the endpoint's environment, stdout and stderr to a
     * scratch log; calls {@code onTick} every {@code tick} while it runs; kills it and everything
     * it started after {@code timeout}.
     */
    public Outcome run(
            String command, Endpoint endpoint, Duration timeout, Duration tick, Runnable onTick)
            throws IOException, InterruptedException {
        Path usage = Files.createTempFile("sparse-random-rusage", ".txt");
        Path log = Files.createTempFile("sparse-random-tool", ".log");
        try {
            ProcessBuilder pb =
                    script != null
                            ? new ProcessBuilder(
                                    python.toString(), script.toString(), usage.toString(), command)
                            : new ProcessBuilder("/bin/sh", "-c", command);
            endpoint.exportTo(pb.environment());
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            long deadline = t0 + timeout.toNanos();
            boolean timedOut = false;
            while (!p.waitFor(tick.toMillis(), TimeUnit.MILLISECONDS)) {
                onTick.run();
                if (System.nanoTime() > deadline) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor();
                    timedOut = true;
                    break;
                }
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            String last = Files.readString(log).strip().lines().reduce((a, b) -> b).orElse("");
            String[] u = Files.readString(usage).trim().split("\\s+");
            if (u.length < 3) {
                return new Outcome(p.exitValue(), wall, Double.NaN, Double.NaN, -1, timedOut, last);
            }
            return new Outcome(
                    p.exitValue(),
                    wall,
                    Double.parseDouble(u[0]),
                    Double.parseDouble(u[1]),
                    Long.parseLong(u[2]) * 1024,
                    timedOut,
                    last);
        } finally {
            Files.deleteIfExists(usage);
            Files.deleteIfExists(log);
        }
    }

    @Override
    public void close() throws IOException {
        if (script != null) {
            Files.deleteIfExists(script);
        }
    }
}
