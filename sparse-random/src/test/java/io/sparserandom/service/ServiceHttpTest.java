package io.sparserandom.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.faults.FaultPlan;
import io.sparserandom.metrics.ExportMeters;
import io.sparserandom.metrics.PrometheusEndpoint;
import io.sparserandom.server.ConnectionInfo;
import io.sparserandom.server.Export;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every endpoint of the HTTP API over a real socket, with its errors and the token. */
@Timeout(60)
class ServiceHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DISK = "job-1/16M,seed=4,runlength=64K";
    private static final String DISK_URL = "job-1%2F16M,seed=4,runlength=64K";
    private final HttpClient client = HttpClient.newHttpClient();
    private final PrometheusMeterRegistry registry = PrometheusEndpoint.newRegistry();
    private final ServiceExports exports =
            new ServiceExports(
                    new ServiceExports.Limits(5, Duration.ofHours(1)),
                    System::nanoTime,
                    FaultPlan.none(),
                    new ExportMeters(registry));
    private ServiceHttp http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
        exports.close();
    }

    private record Answer(int status, String body) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    private Answer send(String method, String path, String token) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    private Answer get(String path) throws Exception {
        return send("GET", path, null);
    }

    /** Copies every data block of the export onto itself but the last data run. */
    private static long copyAllButTheLastRun(Export export) throws Exception {
        BlockDevice d = export.factory().open(new ConnectionInfo(1, "t", export.name(), false));
        long size = d.size();
        java.util.List<long[]> runs = new java.util.ArrayList<>();
        long[] pos = {0};
        d.extents(
                0,
                size,
                (len, type) -> {
                    if (type == 0) {
                        runs.add(new long[] {pos[0], len});
                    }
                    pos[0] += len;
                    return pos[0] < size;
                });
        for (long[] r : runs.subList(0, runs.size() - 1)) {
            for (long a = r[0]; a < r[0] + r[1]; a += 4096) {
                ByteBuf buf = Unpooled.buffer(4096);
                d.read(a, 4096, buf);
                d.write(a, buf, 0);
                buf.release();
            }
        }
        export.factory().close(new ConnectionInfo(1, "t", export.name(), false));
        return runs.get(runs.size() - 1)[0];
    }

    @Test
    void everyEndpointAndItsErrors() throws Exception {
        http = ServiceHttp.start(exports, registry, "127.0.0.1", 0, null);
        Export export = exports.resolve(DISK);
        long lastRun = copyAllButTheLastRun(export);

        Answer health = get("/healthz");
        assertEquals(200, health.status());
        assertEquals("ok", health.json().get("status").asText());
        assertEquals(1, health.json().get("exports").asInt());

        JsonNode list = get("/exports").json().get("exports");
        assertEquals(1, list.size());
        JsonNode e = list.get(0);
        assertEquals(DISK, e.get("name").asText());
        assertEquals("job-1", e.get("job").asText());
        assertEquals(16L << 20, e.get("params").get("size").asLong());
        assertEquals("idle", e.get("state").asText());
        assertEquals(0, e.get("connections").asInt());
        assertTrue(e.get("data_bytes_verified").asLong() > 0);
        assertTrue(e.get("data_bytes_verified").asLong() < e.get("data_bytes_expected").asLong());

        Answer v = get("/exports/" + DISK_URL + "/verdict?check-complete=true");
        assertEquals(200, v.status(), v.body());
        assertEquals(false, v.json().get("passed").asBoolean());
        assertEquals(4, v.json().get("exit_status").asInt());
        assertEquals(lastRun, v.json().get("missing_ranges").get(0).get("offset").asLong());
        Answer loose = get("/exports/job-1/16M,seed=4,runlength=64K/verdict");
        assertEquals(200, loose.status(), "a raw '/' in the name works too");
        assertEquals(true, loose.json().get("passed").asBoolean(), "completeness not asked");
        assertTrue(get("/exports/" + DISK_URL + "/verdict?format=text").body().contains("PASS"));
        assertTrue(
                get("/exports/" + DISK_URL + "/verdict?check-complete=1&format=junit")
                        .body()
                        .contains("<failure"));

        String metrics = get("/metrics").body();
        assertTrue(
                metrics.contains("sparse_random_export_write_bytes{export=\"" + DISK + "\"}"),
                metrics);

        assertEquals(404, get("/nope").status());
        assertEquals(404, get("/exports/").status());
        assertEquals(404, get("/exports/1T,seed=99/verdict").status());
        assertEquals(
                "no export named '1T,seed=99' is known now (see GET /exports)",
                get("/exports/1T,seed=99/verdict").json().get("error").asText());
        assertEquals(400, get("/exports/" + DISK_URL + "/verdict?check-complete=maybe").status());
        assertEquals(400, get("/exports/" + DISK_URL + "/verdict?format=yaml").status());
        assertEquals(400, get("/exports/" + DISK_URL + "/verdict?colour=red").status());
        assertEquals(400, get("/exports/" + DISK_URL + "/verdict?check-durable=maybe").status());
        assertTrue(
                get("/exports/" + DISK_URL + "/verdict?check-durable=true")
                        .json()
                        .get("check_durable")
                        .asBoolean(),
                "check-durable reaches the verdict");
        assertEquals(400, get("/exports?x=1").status());
        assertEquals(405, send("POST", "/exports", null).status());
        assertEquals(405, send("PUT", "/exports/" + DISK_URL + "/verdict", null).status());
        assertTrue(get("/nope").json().get("error").asText().contains("/nope"));

        BlockDevice open = export.factory().open(new ConnectionInfo(2, "t", DISK, false));
        assertEquals(409, send("DELETE", "/exports/" + DISK_URL, null).status());
        export.factory().close(new ConnectionInfo(2, "t", DISK, false));
        assertEquals(200, send("DELETE", "/exports/" + DISK_URL, null).status());
        assertEquals(404, send("DELETE", "/exports/" + DISK_URL, null).status());
        assertEquals(0, get("/exports").json().get("exports").size());
        assertTrue(!get("/metrics").body().contains("export=\""), "forgotten: its meters go too");
        assertEquals(16L << 20, open.size());
    }

    @Test
    void withATokenEveryRequestNeedsIt() throws Exception {
        http = ServiceHttp.start(exports, registry, "127.0.0.1", 0, "s3cret");
        exports.resolve(DISK);
        for (String path : new String[] {"/healthz", "/exports", "/metrics", "/nope"}) {
            assertEquals(401, send("GET", path, null).status(), path);
            assertEquals(401, send("GET", path, "wrong").status(), path);
        }
        assertEquals(401, send("DELETE", "/exports/" + DISK_URL, null).status());
        assertEquals(200, send("GET", "/healthz", "s3cret").status());
        assertEquals(404, send("GET", "/nope", "s3cret").status());
        assertEquals(200, send("DELETE", "/exports/" + DISK_URL, "s3cret").status());
    }

    @Test
    void beyondLoopbackWithoutATokenDeleteIsRefused() throws Exception {
        Optional<InetAddress> outside =
                Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                        .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                        .findFirst();
        Assumptions.assumeTrue(outside.isPresent(), "no non-loopback IPv4 address here");
        String host = outside.get().getHostAddress();
        http = ServiceHttp.start(exports, registry, host, 0, null);
        exports.resolve(DISK);
        HttpResponse<String> r =
                client.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://"
                                                        + host
                                                        + ":"
                                                        + http.port()
                                                        + "/exports/"
                                                        + DISK_URL))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode(), r.body());
        assertEquals(1, exports.size());
    }
}
