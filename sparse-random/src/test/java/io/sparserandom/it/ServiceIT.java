package io.sparserandom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparserandom.client.NbdClient;
import io.sparserandom.client.NbdUri;
import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs;
import io.sparserandom.testsupport.Programs.Result;
import io.sparserandom.testsupport.TestCa;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service mode end to end: the packaged {@code serve} as a real process, real copy tools on
 * concurrent exports, verdicts through {@code sparse-random verdict --http}, names refused where
 * nbdinfo and qemu-img show why, the max-exports and max-connections limits and idle expiry.
 */
class ServiceIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code sparse-random serve -p 0 --http-port 0 ARGS}, its two ports read from stderr. */
    private static final class Service implements AutoCloseable {
        final Process process;
        final int nbdPort;
        final int httpPort;
        final StringBuffer stderr = new StringBuffer();

        Service(String... args) throws Exception {
            List<String> cmd =
                    new ArrayList<>(
                            List.of(
                                    "java",
                                    "-XX:+UseParallelGC",
                                    // C2 and the Vector API, which a service wants: no relaunch,
                                    // one process to stop.
                                    "--add-modules",
                                    "jdk.incubator.vector",
                                    "--add-opens",
                                    "java.base/java.nio=ALL-UNNAMED",
                                    "--add-opens",
                                    "java.base/jdk.internal.misc=ALL-UNNAMED",
                                    "-Dio.netty.tryReflectionSetAccessible=true",
                                    "-jar",
                                    Cli.jar().toString(),
                                    "serve",
                                    "-p",
                                    "0",
                                    "--http-port",
                                    "0"));
            cmd.addAll(List.of(args));
            process =
                    new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader err =
                    new BufferedReader(
                            new InputStreamReader(
                                    process.getErrorStream(), StandardCharsets.UTF_8));
            Pattern nbd = Pattern.compile("service at nbds?://127\\.0\\.0\\.1:(\\d+)/");
            Pattern http = Pattern.compile("HTTP API at http://127\\.0\\.0\\.1:(\\d+)/");
            int n = -1;
            int h = -1;
            String line;
            while ((n < 0 || h < 0) && (line = err.readLine()) != null) {
                stderr.append(line).append('\n');
                Matcher m = nbd.matcher(line);
                if (m.find()) {
                    n = Integer.parseInt(m.group(1));
                }
                m = http.matcher(line);
                if (m.find()) {
                    h = Integer.parseInt(m.group(1));
                }
            }
            if (n < 0 || h < 0) {
                process.destroyForcibly();
                fail("the service did not start:\n" + stderr);
            }
            nbdPort = n;
            httpPort = h;
            Thread drain =
                    new Thread(
                            () -> {
                                try {
                                    for (String l; (l = err.readLine()) != null; ) {
                                        stderr.append(l).append('\n');
                                    }
                                } catch (IOException ignored) {
                                    // the process ended
                                }
                            });
            drain.setDaemon(true);
            drain.start();
        }

        String uri(String export) {
            return "nbd://127.0.0.1:" + nbdPort + "/" + export;
        }

        String http() {
            return "http://127.0.0.1:" + httpPort;
        }

        JsonNode get(String path, String token) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http() + path));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> r =
                    HttpClient.newHttpClient()
                            .send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return JSON.readTree(r.body());
        }

        /** The export's entry in GET /exports, or null. */
        JsonNode export(String name) throws Exception {
            for (JsonNode e : get("/exports", null).get("exports")) {
                if (e.get("name").asText().equals(name)) {
                    return e;
                }
            }
            return null;
        }

        @Override
        public void close() throws Exception {
            process.destroy(); // SIGTERM: the service stops cleanly
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("the service did not stop on SIGTERM:\n" + stderr);
            }
            assertEquals(0, process.exitValue(), stderr.toString());
        }
    }

    private static Result copier(Path script, String uri, String mode) throws IOException {
        return Programs.run(TIMEOUT, "env", "uri=" + uri, Interop.PYTHON, script.toString(), mode);
    }

    @Test
    void eightConcurrentJobsEachGetTheirOwnRightVerdict(@TempDir Path dir) throws Exception {
        Interop.requireAll("nbdcopy", "qemu-img");
        Interop.pythonNbd();
        Path script = Cli.script("copier.py", dir);
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "t0ken-" + System.nanoTime() + "\n");
        String disk = "512M,seed=11,runlength=1M";
        // The broken job's disk is the same as the first nbdcopy job's: only the job prefix
        // keeps them apart, so a shared ledger would show here.
        Map<String, String> jobs = new LinkedHashMap<>();
        jobs.put("nbdcopy-1/" + disk, "nbdcopy");
        jobs.put("nbdcopy-2/512M,seed=12,runlength=1M", "nbdcopy");
        jobs.put("nbdcopy-3/256M,seed=13,random-content=true", "nbdcopy");
        jobs.put("qemu-1/512M,seed=14,runlength=1M", "qemu-img");
        jobs.put("qemu-2/256M,seed=15,percent=30", "qemu-img");
        jobs.put("builtin-1/512M,seed=16,runlength=1M", "builtin");
        jobs.put("builtin-2/1G,seed=17", "builtin");
        jobs.put("broken/" + disk, "broken");
        try (Service svc = new Service("--http-token", tokenFile.toString())) {
            ExecutorService pool = Executors.newFixedThreadPool(jobs.size());
            Map<String, Future<Result>> running = new LinkedHashMap<>();
            for (var job : jobs.entrySet()) {
                String uri = svc.uri(job.getKey());
                running.put(
                        job.getKey(),
                        pool.submit(
                                () ->
                                        switch (job.getValue()) {
                                            case "nbdcopy" ->
                                                    Programs.run(TIMEOUT, "nbdcopy", uri, uri);
                                            case "qemu-img" ->
                                                    Programs.run(
                                                            TIMEOUT,
                                                            "qemu-img",
                                                            "convert",
                                                            "-n",
                                                            "-f",
                                                            "raw",
                                                            "-O",
                                                            "raw",
                                                            uri,
                                                            uri);
                                            case "builtin" -> Cli.run(TIMEOUT, "copy", uri, uri);
                                            default -> copier(script, uri, "skip-last");
                                        }));
            }
            pool.shutdown();
            Map<String, Result> results = new LinkedHashMap<>();
            for (var r : running.entrySet()) {
                results.put(r.getKey(), r.getValue().get());
                assertEquals(
                        0,
                        results.get(r.getKey()).exit(),
                        r.getKey() + ": " + results.get(r.getKey()));
            }
            Matcher bad =
                    Pattern.compile("BAD_OFFSET=(\\d+)")
                            .matcher(results.get("broken/" + disk).stdout());
            assertTrue(bad.find(), results.get("broken/" + disk).toString());

            for (String name : jobs.keySet()) {
                Path json = dir.resolve(name.replace('/', '_') + ".json");
                Result v =
                        Cli.run(
                                TIMEOUT,
                                "verdict",
                                "--http",
                                svc.http(),
                                name,
                                "--check-complete",
                                "--http-token",
                                tokenFile.toString(),
                                "--json",
                                json.toString());
                JsonNode verdict = JSON.readTree(Files.readString(json));
                if (jobs.get(name).equals("broken")) {
                    assertEquals(4, v.exit(), v.toString());
                    assertTrue(v.stderr().contains("FAIL (exit 4)"), v.stderr());
                    assertEquals(
                            Long.parseLong(bad.group(1)),
                            verdict.get("missing_ranges").get(0).get("offset").asLong(),
                            "the broken job's first missing byte");
                } else {
                    assertEquals(0, v.exit(), name + ": " + v);
                    assertTrue(v.stderr().contains("PASS (exit 0)"), v.stderr());
                    assertTrue(verdict.get("complete").asBoolean(), name);
                }
                assertEquals(0, verdict.get("rejected_count").asInt(), name);
                assertTrue(verdict.get("data_bytes_expected").asLong() > 0, name);
            }
            JsonNode list = svc.get("/exports", Files.readString(tokenFile).strip()).get("exports");
            assertEquals(jobs.size(), list.size(), list.toString());
            for (JsonNode e : list) {
                assertEquals("idle", e.get("state").asText(), e.toString());
                assertEquals(0, e.get("connections").asInt(), e.toString());
            }
        }
    }

    @Test
    void aBadNameReachesNbdinfoAndQemuImgWithTheCommandLinesMessage() throws Exception {
        Interop.requireAll("nbdinfo", "qemu-img");
        Result cli = Cli.run(TIMEOUT, "1T", "sed=1");
        assertEquals(2, cli.exit());
        String message = cli.stderr().strip().replaceFirst("^sparse-random: ", "");
        assertTrue(message.contains("unknown parameter 'sed'"), message);
        try (Service svc = new Service("--export", "ci/1G,seed=1")) {
            // libnbd shows a server's message in its debug output only; qemu-img always.
            Result info =
                    Programs.run(TIMEOUT, "env", "LIBNBD_DEBUG=1", "nbdinfo", svc.uri("1T,sed=1"));
            assertNotEquals(0, info.exit());
            assertTrue(info.stderr().contains("server error message: " + message), info.stderr());
            Result qemu = Programs.run(TIMEOUT, "qemu-img", "info", svc.uri("1T,sed=1"));
            assertNotEquals(0, qemu.exit());
            assertTrue(qemu.stderr().contains("server reported: " + message), qemu.stderr());

            Result list = Programs.run(TIMEOUT, "nbdinfo", "--list", svc.uri(""));
            assertEquals(0, list.exit(), list.toString());
            assertTrue(list.stdout().contains("export=\"ci/1G,seed=1\""), list.stdout());
            assertTrue(list.stdout().contains("size=1073741824 seed=1"), list.stdout());
            assertTrue(list.stdout().contains("new; 0 bytes written; 0 rejected"), list.stdout());
        }
    }

    @Test
    void pastMaxConnectionsTheOldestNegotiatingMakesRoomThenNewOnesAreClosed() throws Exception {
        Interop.require("nbdinfo");
        try (Service svc = new Service("--max-connections", "2")) {
            NbdUri disk = NbdUri.parse(svc.uri("1G,seed=1"));
            NbdClient first = NbdClient.connect(disk);
            Socket negotiating = greeted(svc.nbdPort);
            negotiating.getInputStream().readNBytes(10); // the greeting's rest
            // Past the limit: the connection still in its handshake makes room for a new one.
            NbdClient second = NbdClient.connect(disk);
            assertEquals(-1, readOrReset(negotiating), "the negotiating connection was closed");
            // Both past their handshake: a third is closed at once, without a greeting.
            try (Socket third = new Socket("127.0.0.1", svc.nbdPort)) {
                third.setSoTimeout(10_000);
                assertEquals(-1, readOrReset(third), "the third gets no greeting, only a close");
            }
            first.close();
            second.close();
            negotiating.close();
            // The slots free up once the server has seen the closes.
            Result r = null;
            for (int i = 0; i < 50; i++) {
                r = Programs.run(TIMEOUT, "nbdinfo", "--size", svc.uri("1G,seed=1"));
                if (r.exit() == 0) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(0, r.exit(), "a connection after the others closed: " + r);
            String log = svc.stderr.toString();
            assertTrue(log.contains("still in its handshake"), "the eviction is logged:\n" + log);
            assertTrue(log.contains("refused a connection"), "the refusal is logged:\n" + log);
        }
    }

    /** The next byte from the server, or -1 once it has closed (or reset) the connection. */
    private static int readOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    /** A TCP connection that has read the server's greeting (NBDMAGIC). */
    private static Socket greeted(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        byte[] magic = s.getInputStream().readNBytes(8);
        assertEquals("NBDMAGIC", new String(magic, StandardCharsets.US_ASCII));
        return s;
    }

    @Test
    void pastMaxExportsANewNameIsRefused() throws Exception {
        Interop.require("nbdinfo");
        try (Service svc = new Service("--max-exports", "2")) {
            for (String name : new String[] {"1T,seed=1", "a/1T,seed=1"}) {
                Result r = Programs.run(TIMEOUT, "nbdinfo", "--size", svc.uri(name));
                assertEquals(0, r.exit(), r.toString());
                assertEquals("1099511627776", r.stdout().strip());
            }
            Result third =
                    Programs.run(
                            TIMEOUT,
                            "env",
                            "LIBNBD_DEBUG=1",
                            "nbdinfo",
                            "--size",
                            svc.uri("b/1T,seed=1"));
            assertNotEquals(0, third.exit());
            assertTrue(
                    third.stderr()
                            .contains(
                                    "the service already holds 2 exports, its limit (--max-exports 2)"),
                    third.stderr());
            Result known = Programs.run(TIMEOUT, "nbdinfo", "--size", svc.uri("1T,seed=1"));
            assertEquals(0, known.exit(), "a known name still works: " + known);
        }
    }

    @Test
    void anIdleExportIsForgottenAndComesBackWithAFreshLedger(@TempDir Path dir) throws Exception {
        Interop.require("nbdinfo");
        Interop.pythonNbd();
        Path script = Cli.script("copier.py", dir);
        String name = "job/256M,seed=5,runlength=1M";
        try (Service svc = new Service("--idle-expiry", "5s")) {
            Result copy = copier(script, svc.uri(name), "skip-last");
            assertEquals(0, copy.exit(), copy.toString());
            long idleSince = System.nanoTime();
            JsonNode e = svc.export(name);
            assertTrue(e.get("write_requests").asLong() > 0, e.toString());
            assertEquals("idle", e.get("state").asText());
            long deadline = idleSince + TimeUnit.SECONDS.toNanos(30);
            while (svc.export(name) != null && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            long gone = System.nanoTime() - idleSince;
            assertEquals(null, svc.export(name), "forgotten within 30 s");
            assertTrue(gone >= TimeUnit.MILLISECONDS.toNanos(4900), "not before 5 s: " + gone);

            Result info = Programs.run(TIMEOUT, "nbdinfo", "--size", svc.uri(name));
            assertEquals(0, info.exit(), info.toString());
            JsonNode fresh = svc.export(name);
            assertEquals(0, fresh.get("write_requests").asLong(), fresh.toString());
            assertEquals(0, fresh.get("data_bytes_verified").asLong(), fresh.toString());
        }
    }

    @Test
    void overTlsACopyPassesAndPlainClientsAreRefused(@TempDir Path dir) throws Exception {
        Interop.requireAll("nbdcopy", "nbdinfo");
        Path certs = TestCa.create(dir.resolve("pki"), false);
        String name = "tls/256M,seed=8,runlength=1M";
        try (Service svc = new Service("--tls=require", "--tls-certificates", certs.toString())) {
            String uri =
                    "nbds://127.0.0.1:" + svc.nbdPort + "/" + name + "?tls-certificates=" + certs;
            Result copy = Programs.run(TIMEOUT, "nbdcopy", uri, uri);
            assertEquals(0, copy.exit(), copy.toString());
            Result v = Cli.run(TIMEOUT, "verdict", "--http", svc.http(), name, "--check-complete");
            assertEquals(0, v.exit(), v.toString());
            Result plain = Programs.run(TIMEOUT, "nbdinfo", "--size", svc.uri(name));
            assertNotEquals(0, plain.exit(), plain.toString());
        }
    }

    @Test
    void readOnlyRefusesWritesOnEveryExport() throws Exception {
        Interop.require("nbdinfo");
        try (Service svc = new Service("--readonly")) {
            Result info = Programs.run(TIMEOUT, "nbdinfo", svc.uri("ro/1G,seed=2"));
            assertEquals(0, info.exit(), info.toString());
            assertTrue(info.stdout().contains("is_read_only: true"), info.stdout());
        }
    }
}
