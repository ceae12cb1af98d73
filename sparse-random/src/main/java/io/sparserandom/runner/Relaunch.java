package io.sparserandom.runner;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM a run wants depends on its disk, which only picocli knows, after parsing: C1 alone is
 * cheapest below 10 GiB of data, C2 pays off above ({@link JvmOptions#c2()}), and random content
 * wants C2 and the incubating Vector API ({@link JvmOptions#vector()}), whose module makes the JVM
 * print a warning at start. So the launcher starts the cheap JVM, and a run that needs more starts
 * itself once more with those options added: the same JVM options and arguments, the same standard
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

    /** Data bytes from which C2 pays for its warm-up. */
    public static final double C2_FROM_DATA_BYTES = 10.0 * (1L << 30);

    /** Whether this JVM runs C2 (TieredStopAtLevel 4, the default). */
    static boolean c2Present() {
        HotSpotDiagnosticMXBean hotspot =
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        return hotspot == null || "4".equals(hotspot.getVMOption("TieredStopAtLevel").getValue());
    }

    /** The options a disk wants added to this JVM's: empty when it has them already. */
    public static List<String> extraOptions(boolean randomContent, double dataBytes) {
        List<String> extra = new ArrayList<>();
        if ((randomContent || dataBytes >= C2_FROM_DATA_BYTES) && !c2Present()) {
            extra.addAll(JvmOptions.c2());
        }
        if (randomContent && !vectorPresent()) {
            extra.addAll(JvmOptions.vector());
        }
        return extra;
    }

    /**
     * Runs this command again in a JVM with the options the disk wants, unless this one has them or
     * cannot tell how it was started (then it goes on as it is: slower, never wrong).
     *
     * @return the child's exit status, or null to go on in this JVM
     */
    public static Integer ifNeeded(boolean randomContent, double dataBytes)
            throws InterruptedException {
        String[] args = mainArgs;
        if (args == null || Boolean.getBoolean(MARK)) {
            return null;
        }
        List<String> extra = extraOptions(randomContent, dataBytes);
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
        Runtime.getRuntime().removeShutdownHook(stop);
        return status;
    }

    /** This JVM's own command with {@code extra} options added, or null if it cannot be rebuilt. */
    static List<String> command(String[] args, List<String> extra) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (!Files.isExecutable(java)) {
            return null;
        }
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(extra);
        command.add("-D" + MARK + "=true");
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
