package io.sparserandom.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sparserandom.device.DeviceException;
import io.sparserandom.generator.DiskParams;
import io.sparserandom.verifier.Verdict;
import io.sparserandom.verifier.VerdictWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP API (documented in the README): {@code GET /healthz}, {@code GET /exports},
 * {@code GET /exports/NAME/verdict}, {@code DELETE /exports/NAME}, {@code GET /metrics}. Errors are
 * JSON {@code {"error": "..."}} with 400 (bad query), 401 (token), 403, 404, 405 or 409.
 *
 * <p>With a token every request needs {@code Authorization: Bearer TOKEN}. Without one, DELETE is
 * refused when the API listens beyond loopback: anyone on the network could otherwise wipe a job's
 * ledger in the middle of its copy.
 */
public final class ServiceHttp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceHttp.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> VERDICT_QUERY =
            Set.of("check-complete", "check-durable", "format");

    private final ServiceExports exports;
    private final PrometheusMeterRegistry registry;
    private final byte[] token;
    private final boolean loopback;
    private final HttpServer http;
    private final ExecutorService workers;

    private ServiceHttp(
            ServiceExports exports,
            PrometheusMeterRegistry registry,
            String token,
            boolean loopback,
            HttpServer http) {
        this.exports = exports;
        this.registry = registry;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.loopback = loopback;
        this.http = http;
        // Two threads: a verdict over a big disk takes a moment, and must not hold up /healthz.
        this.workers =
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "sparse-random-http");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /**
     * Listens on host:port (0 picks a free port).
     *
     * @param token the bearer token every request must carry, or null for none
     */
    public static ServiceHttp start(
            ServiceExports exports,
            PrometheusMeterRegistry registry,
            String host,
            int port,
            String token)
            throws IOException {
        InetAddress address = InetAddress.getByName(host);
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
        ServiceHttp api =
                new ServiceHttp(exports, registry, token, address.isLoopbackAddress(), server);
        server.createContext("/", api::handle);
        server.setExecutor(api.workers);
        server.start();
        return api;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
        workers.shutdownNow();
    }

    /** An answer: status, content type, body. */
    private record Reply(int status, String type, byte[] body) {
        static Reply json(int status, Object node) throws IOException {
            return new Reply(
                    status,
                    "application/json",
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        }

        static Reply error(int status, String message) throws IOException {
            return json(status, Map.of("error", message));
        }

        static Reply text(String type, String body) {
            return new Reply(200, type, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        Reply reply;
        try {
            reply = route(ex);
        } catch (IOException | RuntimeException e) {
            LOG.warn("HTTP {} {}: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
            reply = Reply.error(500, "internal error: " + e.getMessage());
        }
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", reply.type());
            ex.sendResponseHeaders(
                    reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            if (reply.body().length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(reply.body());
                }
            }
        }
    }

    private Reply route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        if (token != null && !authorized(ex)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            return Reply.error(401, "this service needs 'Authorization: Bearer TOKEN'");
        }
        String path = ex.getRequestURI().getRawPath();
        String query = ex.getRequestURI().getRawQuery();
        if (path.equals("/healthz") || path.equals("/exports") || path.equals("/metrics")) {
            if (!method.equals("GET")) {
                return methodNotAllowed(ex, "GET");
            }
            if (query != null && !query.isEmpty()) {
                return Reply.error(400, path + " takes no query parameters");
            }
            return switch (path) {
                case "/healthz" -> healthz();
                case "/exports" -> Reply.json(200, Map.of("exports", exportsJson()));
                default ->
                        Reply.text("text/plain; version=0.0.4; charset=utf-8", registry.scrape());
            };
        }
        if (!path.startsWith("/exports/") || path.length() == "/exports/".length()) {
            return Reply.error(404, "no such path: " + path + " (see GET /exports)");
        }
        // The name is URL-encoded ('/' as %2F); a raw '/' inside it is accepted too, so
        // /exports/JOB/64G,seed=1/verdict works typed by hand.
        String rest = path.substring("/exports/".length());
        boolean verdict = rest.endsWith("/verdict");
        String name =
                decode(verdict ? rest.substring(0, rest.length() - "/verdict".length()) : rest);
        if (name == null) {
            return Reply.error(400, "bad percent-encoding in the export name");
        }
        if (verdict) {
            if (!method.equals("GET")) {
                return methodNotAllowed(ex, "GET");
            }
            return verdict(name, query);
        }
        if (!method.equals("DELETE")) {
            return methodNotAllowed(ex, "DELETE");
        }
        if (token == null && !loopback) {
            return Reply.error(
                    403, "DELETE needs --http-token when the service listens beyond loopback");
        }
        if (query != null && !query.isEmpty()) {
            return Reply.error(400, "DELETE takes no query parameters");
        }
        return switch (exports.forget(name)) {
            case FORGOTTEN -> Reply.json(200, Map.of("forgotten", name));
            case NOT_FOUND -> Reply.error(404, "no export named '" + name + "' is known now");
            case BUSY ->
                    Reply.error(
                            409,
                            "export '"
                                    + name
                                    + "' has open connections; delete it once they close");
        };
    }

    private boolean authorized(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = h.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token); // constant time
    }

    private static Reply methodNotAllowed(HttpExchange ex, String allowed) throws IOException {
        ex.getResponseHeaders().set("Allow", allowed);
        return Reply.error(
                405, ex.getRequestMethod() + " is not allowed here (only " + allowed + ")");
    }

    /** Percent-decoding that keeps '+' (it is not a space in a path), or null when malformed. */
    static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Reply healthz() throws IOException {
        int open = 0;
        for (ServiceExport e : exports.all()) {
            open += e.connections();
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("status", "ok");
        o.put("exports", exports.size());
        o.put("max_exports", exports.limits().maxExports());
        o.put("connections", open);
        return Reply.json(200, o);
    }

    private ArrayNode exportsJson() throws IOException {
        ArrayNode list = JSON.createArrayNode();
        for (ServiceExport e : exports.all()) {
            Verdict v;
            try {
                v = e.summary();
            } catch (DeviceException ex) {
                throw new IOException(ex.getMessage(), ex);
            }
            DiskParams p = e.disk().params();
            ObjectNode o = list.addObject();
            o.put("name", e.name().name());
            o.put("job", e.name().job());
            ObjectNode params = o.putObject("params");
            params.put("size", p.size());
            params.put("seed", p.seed());
            params.put("percent", p.percent());
            params.put("runlength", p.runlength());
            params.put("random_content", p.randomContent());
            o.put("state", e.state().name().toLowerCase(java.util.Locale.ROOT));
            o.put("declared", e.pinned());
            o.put("connections", e.connections());
            o.put("data_bytes_expected", v.dataBytes());
            o.put("data_bytes_verified", v.dataVerified());
            o.put("complete", v.complete());
            o.put("durable", v.durable());
            o.put("rejected_count", e.ledger().rejectedCount());
            o.put("write_requests", e.ledger().writeRequests());
            o.put("elapsed_seconds", e.elapsed().toNanos() / 1e9);
        }
        return list;
    }

    private Reply verdict(String name, String rawQuery) throws IOException {
        Map<String, String> q = new HashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                String val = eq < 0 ? "true" : decode(pair.substring(eq + 1));
                if (k == null || val == null) {
                    return Reply.error(400, "bad percent-encoding in the query");
                }
                if (!VERDICT_QUERY.contains(k)) {
                    return Reply.error(
                            400,
                            "unknown query parameter '"
                                    + k
                                    + "' (known: check-complete, check-durable, format)");
                }
                q.put(k, val);
            }
        }
        Boolean checkComplete = bool(q.getOrDefault("check-complete", "false"));
        Boolean checkDurable = bool(q.getOrDefault("check-durable", "false"));
        if (checkComplete == null) {
            return Reply.error(
                    400, "check-complete: '" + q.get("check-complete") + "' is not true or false");
        }
        if (checkDurable == null) {
            return Reply.error(
                    400, "check-durable: '" + q.get("check-durable") + "' is not true or false");
        }
        String format = q.getOrDefault("format", "json");
        if (!Set.of("json", "text", "junit").contains(format)) {
            return Reply.error(400, "format: '" + format + "' is not one of json, text, junit");
        }
        ServiceExport e = exports.get(name);
        if (e == null) {
            return Reply.error(
                    404, "no export named '" + name + "' is known now (see GET /exports)");
        }
        Verdict v;
        try {
            v = e.verdict(checkComplete, checkDurable);
        } catch (DeviceException ex) {
            throw new IOException(ex.getMessage(), ex);
        }
        return switch (format) {
            case "text" -> Reply.text("text/plain; charset=utf-8", VerdictWriter.summary(v));
            case "junit" ->
                    Reply.text(
                            "application/xml; charset=utf-8",
                            VerdictWriter.junit(v, "sparse-random " + name));
            default ->
                    new Reply(
                            200,
                            "application/json",
                            VerdictWriter.json(v).getBytes(StandardCharsets.UTF_8));
        };
    }

    private static Boolean bool(String s) {
        return switch (s) {
            case "true", "1", "yes" -> Boolean.TRUE;
            case "false", "0", "no" -> Boolean.FALSE;
            default -> null;
        };
    }
}
