package io.sparserandom.runner;

import io.sparserandom.generator.DiskParams;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * nbdkit's random content (compat=nbdkit: one output per byte) wants the incubating Vector API,
 * whose module makes the JVM print a warning at every start. So the launcher starts without it, and
 * a run that turns out to need it (which only picocli knows, after parsing) starts itself once more
 * with {@link JvmOptions#vector()} added: the same JVM options and arguments, the same standard
 * streams; this process waits and exits with the child's status. Signals that end this process end
 * the child too.
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
     * When {@code wanted}, runs this command again in a JVM with the Vector API, unless this one
     * has it or cannot tell how it was started (then it goes on with the scalar fill: slower, never
     * wrong).
     *
     * @return the child's exit status, or null to go on in this JVM
     */
    public static Integer ifNeeded(boolean wanted) throws InterruptedException {
        String[] args = mainArgs;
        if (!wanted || vectorPresent() || args == null || Boolean.getBoolean(MARK)) {
            return null;
        }
        List<String> extra = JvmOptions.vector();
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
        try {
            Path source =
                    Path.of(
                            Relaunch.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            if (Files.isRegularFile(source)) {
                command.add("-jar");
                command.add(source.toString());
            } else {
                command.add("-cp");
                command.add(System.getProperty("java.class.path"));
                command.add("io.sparserandom.cli.Main");
            }
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
        command.addAll(List.of(args));
        return command;
    }
}
