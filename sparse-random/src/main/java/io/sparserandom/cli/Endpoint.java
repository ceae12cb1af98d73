package io.sparserandom.cli;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where the captive server listens, and the NBD URI that names it. {@code -U -} makes a private
 * folder (mode 0700) for the socket, removed by {@link #cleanUp()}.
 */
final class Endpoint {
    private final Path socket;
    private final Path privateDir;
    private final String host;
    private int port;
    private final String exportName;
    /** The TLS certificates folder clients should use, or null without TLS. */
    private Path tlsCertificates;

    private Endpoint(Path socket, Path privateDir, String host, int port, String exportName) {
        this.socket = socket;
        this.privateDir = privateDir;
        this.host = host;
        this.port = port;
        this.exportName = exportName;
    }

    static Endpoint unix(String path, String exportName) throws IOException {
        if (path.equals("-")) {
            Path dir = Files.createTempDirectory("sparse-random-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return new Endpoint(dir.resolve("nbd.sock"), dir, null, -1, exportName);
        }
        return new Endpoint(Path.of(path).toAbsolutePath(), null, null, -1, exportName);
    }

    static Endpoint tcp(String host, int port, String exportName) {
        return new Endpoint(null, null, host, port, exportName);
    }

    boolean isUnix() { return socket != null; }

    Path socket() { return socket; }

    String host() { return host; }

    int port() { return port; }

    void boundPort(int actual) { this.port = actual; }

    String exportName() { return exportName; }

    /** Clients must use TLS, trusting the authority in {@code dir} (it goes into the URI). */
    void useTls(Path dir) { this.tlsCertificates = dir.toAbsolutePath(); }

    boolean tls() { return tlsCertificates != null; }

    /**
     * A standard NBD URI: {@code nbd+unix:///EXPORT?socket=PATH} or {@code nbd://HOST:PORT/EXPORT};
     * with TLS {@code nbds+unix://} or {@code nbds://} and {@code tls-certificates=DIR}, as libnbd
     * takes them.
     */
    String uri() {
        String export = encode(exportName).replace("%2F", "/");
        String scheme = tls() ? "nbds" : "nbd";
        String tlsQuery = tls() ? "tls-certificates=" + encode(tlsCertificates.toString()).replace("%2F", "/") : "";
        if (isUnix()) {
            return scheme + "+unix:///" + export + "?socket=" + encode(socket.toString()).replace("%2F", "/")
                    + (tls() ? "&" + tlsQuery : "");
        }
        String h = host.contains(":") ? "[" + host + "]" : host;
        return scheme + "://" + h + ":" + port + "/" + export + (tls() ? "?" + tlsQuery : "");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Removes the private socket folder, if we made one. */
    void cleanUp() {
        if (privateDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(privateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
