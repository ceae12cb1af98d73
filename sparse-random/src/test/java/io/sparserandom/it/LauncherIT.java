package io.sparserandom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs;
import io.sparserandom.testsupport.Programs.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * bin/sparse-random as users run it: java -jar of the small jar, whose manifest opens the packages
 * Netty's direct buffers need, with the class-data archives it trains beside the jar (the server's
 * and the built-in copier's), which must hold every class a copy loads. The opened packages must
 * reach every JVM it starts (the relaunch for C2 too), and the archive's module graph must be in
 * use: --add-opens options, or a collector other than G1, turn it off and cost every start 10-20 ms
 * (docs/performance.md, "Start-up, fifth pass").
 */
@Timeout(300)
class LauncherIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String OPEN =
            "java.nio.DirectByteBuffer.<init>(long, {int,long}): available";
    private static final String CLOSED =
            "java.nio.DirectByteBuffer.<init>(long, {int,long}): unavailable";

    /** The launcher (built jar already there, so no build) with extra JVM options. */
    private static Result launch(String javaOptions, String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                "env",
                                "SPARSE_RANDOM_NO_BUILD=1",
                                "SPARSE_RANDOM_JAVA_OPTS=" + javaOptions,
                                Cli.launcher().toString()));
        cmd.addAll(List.of(args));
        return Programs.run(TIMEOUT, cmd.toArray(String[]::new));
    }

    private static final String NETTY_DEBUG =
            "-Dorg.slf4j.simpleLogger.log.io.netty.util.internal.PlatformDependent0=debug";

    @Test
    void theServerHasNettysDirectBuffersAndTheArchivedModuleGraph() throws Exception {
        Result r = launch("-Xlog:cds=info:stderr " + NETTY_DEBUG, "64M", "--run", "true");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stderr().contains(OPEN), r.toString());
        assertFalse(r.stderr().contains(CLOSED), r.toString());
        assertTrue(r.stderr().contains("full module graph: enabled"), r.toString());
        assertTrue(Files.isRegularFile(Cli.jar().resolveSibling("sparse-random.jsa")));
    }

    @Test
    void theRelaunchedJvmHasThemToo() throws Exception {
        // 1T: the launcher's JVM starts again with C2 before it sets up Netty, so Netty's one
        // set-up is the second JVM's, whose command line the --run command prints.
        Result r = launch(NETTY_DEBUG, "1T", "--run", "tr '\\0' '\\n' </proc/$PPID/cmdline");
        assertEquals(0, r.exit(), r.toString());
        List<String> server = List.of(r.stdout().split("\n"));
        assertTrue(server.contains("-XX:TieredStopAtLevel=4"), r.toString());
        // Long runs go back to the serial collector (jit.options), the last collector named.
        assertTrue(
                server.lastIndexOf("-XX:+UseSerialGC") > server.lastIndexOf("-XX:+UseG1GC"),
                r.toString());
        int jar = server.indexOf("-jar");
        assertTrue(jar > 0, r.toString());
        assertTrue(server.get(jar + 1).endsWith("sparse-random-first.jar"), r.toString());
        assertFalse(server.contains("--add-opens"), r.toString());
        assertEquals(1, count(r.stderr(), OPEN), r.toString());
        assertFalse(r.stderr().contains(CLOSED), r.toString());
    }

    @Test
    void theRunCommandStartsWhileTheServerDoes() throws Exception {
        // The warm-up thread binds the command's socket, the command starts, and only then does
        // Netty's server start and take the socket over; the command, connected early, is served.
        Interop.require("nbdinfo");
        Result r = launch("", "-v", "64M", "--run", "nbdinfo --size \"$uri\"");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("67108864", r.stdout().strip(), r.toString());
        int started =
                r.stderr().indexOf("command started; its socket is bound ahead of the server");
        int listening = r.stderr().indexOf("(epoll, bound ahead, ");
        assertTrue(started >= 0 && listening > started, r.toString());
    }

    @Test
    void aDiskRunPutsOffStartUpCompilesAndOtherCommandsDoNot() throws Exception {
        // start.options: for runs that serve a disk only (help ran 8 % slower with it).
        String scaling = "CompileThresholdScaling";
        Result run = launch("-XX:+PrintFlagsFinal", "64M", "--run", "true");
        assertEquals(0, run.exit(), run.toString());
        assertEquals("5.000000", flag(run.stdout(), scaling), run.stdout());
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"verdict", "-h"})) {
            Result other = launch("-XX:+PrintFlagsFinal", args);
            assertEquals(0, other.exit(), other.toString());
            assertEquals("1.000000", flag(other.stdout(), scaling), other.stdout());
        }
        // Its CompileCommands print nothing: standard output stays the tool's.
        Result quiet = launch("", "64M", "--run", "true");
        assertEquals(0, quiet.exit(), quiet.toString());
        assertEquals("", quiet.stdout());
    }

    @Test
    void theServerAsksForHugePagesAndItsCommandDoesNot() throws Exception {
        // Asked for in the kernel's "madvise" mode only ("always" needs no asking).
        Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        String mode = Files.isReadable(thp) ? Files.readString(thp).strip() : "none";
        boolean madvise = mode.contains("[madvise]");
        Result r =
                launch(
                        "",
                        "64M",
                        "--run",
                        "echo \"tool: [$GLIBC_TUNABLES]\"; tr '\\0' '\\n' </proc/$PPID/environ"
                                + " | grep '^GLIBC_TUNABLES='; tr '\\0' '\\n' </proc/$PPID/cmdline"
                                + " | grep TransparentHugePages; grep AnonHugePages"
                                + " /proc/$PPID/smaps_rollup");
        assertEquals(0, r.exit(), r.toString());
        List<String> out = List.of(r.stdout().split("\n"));
        assertTrue(out.contains("tool: []"), r.toString());
        assertEquals(madvise, out.contains("GLIBC_TUNABLES=glibc.malloc.hugetlb=1"), mode + r);
        assertEquals(madvise, out.contains("-XX:+UseTransparentHugePages"), mode + r);
        if (madvise) {
            // The heap the server has touched sits in 2 MiB pages.
            String huge = out.get(out.size() - 1);
            assertTrue(huge.matches("AnonHugePages:\\s+[1-9]\\d* kB"), r.toString());
        }
    }

    /** A flag's value in -XX:+PrintFlagsFinal's table. */
    private static String flag(String table, String name) {
        for (String line : table.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && f[1].equals(name)) {
                return f[3];
            }
        }
        return null;
    }

    @Test
    void aCopyLoadsNoClassFromTheLargeJar() throws Exception {
        // Every class a nbdcopy self-copy's server loads is in the archive: one that is not opens
        // the large jar (an index of 7,000 entries) in the middle of the copy.
        Interop.require("nbdcopy");
        List<String> loads =
                classLoads(
                        log ->
                                launch(
                                        log,
                                        "256M",
                                        "--check-complete",
                                        "--run",
                                        "nbdcopy \"$uri\" \"$uri\""));
        assertEquals(List.of(), fromTheLargeJar(loads));
    }

    @Test
    void theBuiltInCopierLoadsNoClassFromTheLargeJarEither() throws Exception {
        // The copier's JVM (`copy`, as bench starts it) has an archive of its own.
        Interop.require("nbdkit");
        List<String> loads =
                classLoads(
                        log ->
                                Programs.run(
                                        TIMEOUT,
                                        "env",
                                        "SPARSE_RANDOM_NO_BUILD=1",
                                        "SPARSE_RANDOM_JAVA_OPTS=" + log,
                                        "nbdkit",
                                        "-U",
                                        "-",
                                        "sparse-random",
                                        "256M",
                                        "seed=1",
                                        "--run",
                                        "'" + Cli.launcher() + "' copy \"$uri\" \"$uri\""));
        assertTrue(loads.size() > 1000, "classes loaded: " + loads.size());
        assertEquals(List.of(), fromTheLargeJar(loads));
        assertTrue(Files.isRegularFile(Cli.jar().resolveSibling("sparse-random-copier.jsa")));
    }

    /** A run given the JVM option that logs its class loads. */
    private interface LoggedRun {
        Result start(String logOption) throws Exception;
    }

    /** The class loads a run logged; the run must succeed. */
    private static List<String> classLoads(LoggedRun run) throws Exception {
        Path log = Files.createTempFile("class-load", ".txt");
        try {
            Result r = run.start("-Xlog:class+load:file=" + log);
            assertEquals(0, r.exit(), r.toString());
            return Files.readAllLines(log);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The loads whose class came from a jar rather than the archive. */
    private static List<String> fromTheLargeJar(List<String> loads) {
        return loads.stream().filter(l -> l.contains("source: file:")).toList();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void bothJarsManifestsOpenThePackages() throws Exception {
        String opens = "java.base/java.nio java.base/jdk.internal.misc";
        Path large = Cli.jar();
        Path small = large.resolveSibling("sparse-random-first.jar");
        for (Path jar : List.of(large, small)) {
            try (JarFile j = new JarFile(jar.toFile())) {
                Attributes a = j.getManifest().getMainAttributes();
                assertEquals(opens, a.getValue("Add-Opens"), jar.toString());
                assertEquals("io.sparserandom.cli.Main", a.getValue("Main-Class"), jar.toString());
            }
        }
        try (JarFile j = new JarFile(small.toFile())) {
            assertEquals(
                    "sparse-random.jar",
                    j.getManifest().getMainAttributes().getValue("Class-Path"));
        }
    }
}
