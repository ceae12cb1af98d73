package io.sparserandom.runner;

import io.sparserandom.generator.DiskParams;
import io.sparserandom.generator.Shape;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The launcher starts every JVM the same way: C1 alone (cheap to warm up, right for the small disks
 * of CI gates) and without the Vector API (whose module prints a warning at every start). A run
 * that turns out to want more, which only picocli knows after parsing, starts itself once more with
 * it added: C2 for much data or random content ({@link JvmOptions#fullJit()}), the Vector API for
 * nbdkit's random content ({@link JvmOptions#vector()}). Same JVM options and arguments, same
 * standard streams; this process waits and exits with the child's status. Signals that end this
 * process end the child too.
 */
public final class Relaunch {
    static final String MARK = "sparse-random.relaunched";
    private static volatile String[] mainArgs;

    private Relaunch() {}

    /** Remembers the command line as main received it. */
    public static void rememberArgs(String[] args) {
        mainArgs = args.clone();
    }

    /** Whether this JVM has the Vector API module. */
    public static boolean vectorPresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * Whether disks with these parameters want the Vector API: nbdkit's random content only. Our
     * own random content (8 bytes per output) fills as fast without it once compiled (JMH
     * DiskBenchmark.fillReadBuffer, 256 KiB requests: 15.5-18.6k requests/s scalar against
     * 15.0-18.2k with vectors), so it is not worth a second JVM start and the vector code's slow
     * warm-up.
     */
    public static boolean wantsVector(DiskParams params) {
        return params.randomContent() && params.model() == DiskParams.Model.NBDKIT;
    }

    /**
     * From this much data (size times percent) on, C2 pays for its warm-up: server CPU of one
     * nbdcopy self-copy, C1 alone against C2, crossed over between 8 and 12 GiB of data
     * (docs/performance.md, "The JIT rule").
     */
    static final double FULL_JIT_DATA = 10.0 * (1L << 30);

    /** Whether disks with these parameters want C2: much data, or random content to generate. */
    public static boolean wantsFullJit(DiskParams params) {
        return params.randomContent() || expectedData(params) >= FULL_JIT_DATA;
    }

    /** The data bytes a disk with these parameters should hold, roughly (no layout is walked). */
    static double expectedData(DiskParams params) {
        Shape shape = params.shape();
        if (shape != null) {
            return (double) params.size() * shape.bytes(Shape.State.DATA) / shape.size();
        }
        return params.size() * params.percent() / 100;
    }

    /**
     * Whether a JVM with these options compiles with C1 alone: the last TieredStopAtLevel given is
     * below 4 and tiered compilation is on (its input arguments, which the relaunch reads anyway,
     * rather than the diagnostic bean: that costs a start-up another 20 ms).
     */
    static boolean quickJit(List<String> jvmOptions) {
        int level = 4;
        boolean tiered = true;
        for (String o : jvmOptions) {
            if (o.startsWith("-XX:TieredStopAtLevel=")) {
                level = Integer.parseInt(o.substring("-XX:TieredStopAtLevel=".length()));
            } else if (o.equals("-XX:-TieredCompilation")) {
                tiered = false;
            } else if (o.equals("-XX:+TieredCompilation")) {
                tiered = true;
            }
        }
        return tiered && level < 4;
    }

    /**
     * Runs this command again in a JVM with what it lacks of what is wanted: the Vector API, C2.
     * Nothing happens when this JVM has it all, is itself such a second start, or cannot tell how
     * it was started (then it goes on as it is: slower, never wrong).
     *
     * @return the child's exit status, or null to go on in this JVM
     */
    public static Integer ifNeeded(boolean vector, boolean fullJit) throws InterruptedException {
        String[] args = mainArgs;
        if (args == null || Boolean.getBoolean(MARK)) {
            return null;
        }
        List<String> extra = new ArrayList<>();
        if (vector && !vectorPresent()) {
            extra.addAll(JvmOptions.vector());
        }
        // The management beans only when C2 may be wanted: loading them costs a start-up 8 %.
        if ((fullJit || !extra.isEmpty())
                && quickJit(ManagementFactory.getRuntimeMXBean().getInputArguments())) {
            // A vector fill under C1 alone runs the Vector API's allocating Java fallbacks.
            extra.addAll(JvmOptions.fullJit());
        }
        if (extra.isEmpty()) {
            return null;
        }
        List<String> command = command(args, extra);
        if (command == null) {
            return null;
        }
        Process child;
        try {
            child = new ProcessBuilder(command).inheritIO().start();
        } catch (java.io.IOException e) {
            return null;
        }
        Thread stop =
                new Thread(
                        () -> {
                            child.destroy();
                            try {
                                child.waitFor();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
        Runtime.getRuntime().addShutdownHook(stop);
        int status = child.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(stop);
        } catch (IllegalStateException shuttingDown) {
            // A signal ended this JVM: the hook has already stopped the child.
        }
        return status;
    }

    /**
     * This JVM's own command (same java, options and class path) running the main command with
     * {@code args} in a fresh JVM that may relaunch itself as usual; null if it cannot be rebuilt.
     */
    public static List<String> sameJvm(List<String> args) {
        return command(args.toArray(String[]::new), List.of(), false);
    }

    /** This JVM's own command with {@code extra} options added, or null if it cannot be rebuilt. */
    static List<String> command(String[] args, List<String> extra) {
        return command(args, extra, true);
    }

    private static List<String> command(String[] args, List<String> extra, boolean mark) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (!Files.isExecutable(java)) {
            return null;
        }
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(extra);
        if (mark) {
            command.add("-D" + MARK + "=true");
        }
        // Started as this JVM was (java -jar keeps the manifest's opened packages).
        command.addAll(JvmOptions.mainClass());
        command.addAll(List.of(args));
        return command;
    }
}
