package io.sparserandom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparserandom.testsupport.HostileClients;
import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged server, started by bin/sparse-random as users start it (so with its memory caps,
 * glibc settings and huge pages), on TCP: hostile clients for 30 s while sixteen nbdcopy processes
 * (64 verified connections) self-copy in a loop, then a clean copy still verifies and the server's
 * peak resident memory stayed below issue 18's 300 MiB.
 */
@Timeout(300)
class HostileClientsIT {
    // Issue 18's goal. Measured peaks: docs/performance.md ("Resident memory").
    private static final long RSS_LIMIT_KIB = 300L * 1024;
    private static final int COPIES = 16;
    private static final Duration ATTACK = Duration.ofSeconds(30);
    private static final Pattern SERVING = Pattern.compile("serving nbd://127\\.0\\.0\\.1:(\\d+)/");

    /** The server's last lines of standard error, for a failure's message. */
    private final ArrayDeque<String> serverLog = new ArrayDeque<>();

    @Test
    void memoryStaysBoundedAndTheServerStillServes() throws Exception {
        Interop.require("nbdcopy");
        // Through the launcher, which execs the JVM (the process is the server's), with its glibc
        // settings, huge pages and start options.
        ProcessBuilder start =
                new ProcessBuilder(Cli.launcher().toString(), "1G", "seed=1", "-p", "0")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        start.environment().put("SPARSE_RANDOM_NO_BUILD", "1");
        Process server = start.start();
        try {
            int port = port(server);
            String uri = "nbd://127.0.0.1:" + port + "/";
            // Each copier self-copies again and again until the attack is over; every copy must
            // verify.
            long end = System.nanoTime() + ATTACK.toNanos();
            // Their own threads: the common pool runs one task at a time on 2 cores.
            ExecutorService pool = Executors.newFixedThreadPool(COPIES);
            List<CompletableFuture<List<Programs.Result>>> copiers = new ArrayList<>();
            for (int i = 0; i < COPIES; i++) {
                copiers.add(CompletableFuture.supplyAsync(() -> copyUntil(uri, end), pool));
            }
            pool.shutdown();
            HostileClients.Report report =
                    new HostileClients("127.0.0.1", port, ATTACK, 8, 200, 1).run();
            System.out.println("hostile clients: " + report);
            assertTrue(report.requests() > 100, report.toString());
            int copies = 0;
            for (CompletableFuture<List<Programs.Result>> c : copiers) {
                for (Programs.Result copy : c.get(3, TimeUnit.MINUTES)) {
                    assertEquals(
                            0,
                            copy.exit(),
                            () -> "a copy during the attack: " + copy + "\n--- server" + log());
                    copies++;
                }
            }
            System.out.println(copies + " verified copies during the attack");
            assertTrue(copies >= COPIES, copies + " copies");
            Programs.Result after = Programs.run(Duration.ofMinutes(2), "nbdcopy", uri, uri);
            assertEquals(
                    0,
                    after.exit(),
                    () -> "a clean copy afterwards: " + after + "\n--- server" + log());
            assertTrue(server.isAlive(), "the server survived");
            long peakKib = statusKib(server.pid(), "VmHWM");
            System.out.printf(
                    "server peak RSS %.1f MiB, after %.1f MiB%n",
                    peakKib / 1024.0, statusKib(server.pid(), "VmRSS") / 1024.0);
            assertTrue(
                    peakKib < RSS_LIMIT_KIB,
                    "server peak RSS " + peakKib + " KiB, limit " + RSS_LIMIT_KIB + " KiB");
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static List<Programs.Result> copyUntil(String uri, long end) {
        List<Programs.Result> results = new ArrayList<>();
        do {
            try {
                results.add(Programs.run(Duration.ofMinutes(2), "nbdcopy", uri, uri));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        } while (System.nanoTime() < end);
        return results;
    }

    /** Reads the server's stderr until it says where it listens; keeps draining it after. */
    private int port(Process server) throws Exception {
        BufferedReader err =
                new BufferedReader(
                        new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader =
                new Thread(
                        () -> {
                            try {
                                String line;
                                while ((line = err.readLine()) != null) {
                                    synchronized (serverLog) {
                                        if (serverLog.size() == 100) {
                                            serverLog.removeFirst();
                                        }
                                        serverLog.addLast(line);
                                    }
                                    Matcher m = SERVING.matcher(line);
                                    if (m.find()) {
                                        port.complete(Integer.parseInt(m.group(1)));
                                    }
                                }
                            } catch (IOException e) {
                                // the server exited
                            }
                            port.completeExceptionally(
                                    new IllegalStateException("the server exited before serving"));
                        });
        reader.setDaemon(true);
        reader.start();
        try {
            return port.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            fail(e.getCause().getMessage());
            throw e;
        }
    }

    /** The server's last lines of standard error, one per line. */
    private String log() {
        synchronized (serverLog) {
            return serverLog.isEmpty() ? " (nothing)" : "\n" + String.join("\n", serverLog);
        }
    }

    private static long statusKib(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IOException(field + " not in /proc/" + pid + "/status");
    }
}
