package io.sparserandom.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where an NBD export lives: {@code nbd://host[:port]/[export]} (TCP, default port 10809) or {@code
 * nbd+unix:///[export]?socket=PATH} (Unix domain socket). Other schemes of the NBD URI spec (nbds,
 * nbds+unix, nbd+vsock, ...) are rejected: we speak neither TLS nor vsock.
 *
 * @param host TCP host, null for a Unix socket
 * @param port TCP port, -1 for a Unix socket
 * @param socketPath Unix socket path, null for TCP
 * @param exportName export name, "" for the default export
 */
public record NbdUri(String host, int port, Path socketPath, String exportName) {
    public static final int DEFAULT_PORT = 10809;

    public NbdUri {
        if ((host == null) == (socketPath == null)) {
            throw new IllegalArgumentException("exactly one of host and socket path must be set");
        }
        if (exportName == null) {
            exportName = "";
        }
    }

    public static NbdUri tcp(String host, int port, String exportName) {
        return new NbdUri(host, port, null, exportName);
    }

    public static NbdUri unix(Path socket, String exportName) {
        return new NbdUri(null, -1, socket, exportName);
    }

    public boolean isUnix() {
        return socketPath != null;
    }

    /**
     * Parses an NBD URI; throws IllegalArgumentException with the reason when it is not one we
     * support.
     */
    public static NbdUri parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty NBD URI");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "malformed NBD URI '" + text + "': " + e.getMessage(), e);
        }
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw new IllegalArgumentException("not an NBD URI (no scheme): '" + text + "'");
        }
        if (uri.isOpaque()) {
            throw new IllegalArgumentException(
                    "malformed NBD URI '" + text + "': expected " + scheme + "://...");
        }
        String export = exportName(uri);
        return switch (scheme.toLowerCase(Locale.ROOT)) {
            case "nbd" -> {
                String host = uri.getHost();
                if (host == null || host.isEmpty()) {
                    throw new IllegalArgumentException(
                            "NBD URI '" + text + "' has no host (nbd://host[:port]/[export])");
                }
                if (uri.getRawQuery() != null) {
                    throw new IllegalArgumentException(
                            "NBD URI '"
                                    + text
                                    + "': query parameters are not supported for nbd://");
                }
                int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                yield tcp(host, port, export);
            }
            case "nbd+unix" -> {
                if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
                    throw new IllegalArgumentException(
                            "NBD URI '"
                                    + text
                                    + "': nbd+unix takes no host (nbd+unix:///export?socket=PATH)");
                }
                String socket = queryParam(uri, "socket");
                if (socket == null || socket.isEmpty()) {
                    throw new IllegalArgumentException(
                            "NBD URI '" + text + "': nbd+unix needs ?socket=PATH");
                }
                yield unix(Path.of(socket), export);
            }
            case "nbds", "nbds+unix", "nbd+vsock", "nbds+vsock" ->
                    throw new IllegalArgumentException(
                            "unsupported NBD URI scheme '"
                                    + scheme
                                    + "' (TLS and vsock are not supported; use nbd:// or nbd+unix://)");
            default ->
                    throw new IllegalArgumentException(
                            "not an NBD URI: scheme '"
                                    + scheme
                                    + "' (expected nbd:// or nbd+unix://)");
        };
    }

    private static String exportName(URI uri) {
        String path = uri.getPath();
        if (path == null || path.isEmpty()) {
            return "";
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("malformed NBD URI path '" + path + "'");
        }
        return path.substring(1);
    }

    private static String queryParam(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        String found = null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value =
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                found = value;
            } else if (!key.equals("tls") && !key.isEmpty()) {
                throw new IllegalArgumentException(
                        "NBD URI: unsupported query parameter '" + key + "'");
            }
        }
        return found;
    }

    @Override
    public String toString() {
        if (isUnix()) {
            return "nbd+unix:///" + exportName + "?socket=" + socketPath;
        }
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return "nbd://" + h + ":" + port + "/" + exportName;
    }
}
