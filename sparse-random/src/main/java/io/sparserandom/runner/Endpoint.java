package io.sparserandom.runner;

import io.sparserandom.server.BoundUnixSocket;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the captive server listens, and the NBD URI that names it. {@code -U -} makes a private
 * folder (mode 0700) for the socket, removed by {@link #cleanUp()}.
 */
public final class Endpoint {
    private final Path socket;
    private final Path privateDir;
    private final String host;
    private int port;
    private final String exportName;

    /** The TLS certificates folder clients should use, or null without TLS. */
    private Path tlsCertificates;

    /** The socket, bound and listening ahead of the server, or null. */
    private BoundUnixSocket listening;

    private Endpoint(Path socket, Path privateDir, String host, int port, String exportName) {
        this.socket = socket;
        this.privateDir = privateDir;
        this.host = host;
        this.port = port;
        this.exportName = exportName;
    }

    public static Endpoint unix(String path, String exportName) throws IOException {
        if (path.equals("-")) {
            Path dir = privateDirectory();
            return new Endpoint(dir.resolve("nbd.sock"), dir, null, -1, exportName);
        }
        return new Endpoint(Path.of(path).toAbsolutePath(), null, null, -1, exportName);
    }

    /**
     * A fresh 0700 folder in the temporary directory. Not {@code Files.createTempDirectory}: its
     * names come from a SecureRandom, whose set-up cost {@code --run} tens of milliseconds at
     * start-up. An unguessable name is not what keeps the folder private: creating a directory
     * fails if anything (a symbolic link too) already has its name, and then another name is tried.
     */
    private static Path privateDirectory() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        for (int attempt = 0; ; attempt++) {
            Path dir =
                    tmp.resolve(
                            "sparse-random-"
                                    + Long.toUnsignedString(
                                            ThreadLocalRandom.current().nextLong(), 36));
            try {
                return Files.createDirectory(
                        dir,
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    public static Endpoint tcp(String host, int port, String exportName) {
        return new Endpoint(null, null, host, port, exportName);
    }

    public boolean isUnix() {
        return socket != null;
    }

    public Path socket() {
        return socket;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    void boundPort(int actual) {
        this.port = actual;
    }

    public String exportName() {
        return exportName;
    }

    /** Clients must use TLS, trusting the authority in {@code dir} (it goes into the URI). */
    public void useTls(Path dir) {
        this.tlsCertificates = dir.toAbsolutePath();
    }

    public boolean tls() {
        return tlsCertificates != null;
    }

    /**
     * The unix socket is already bound and listening (at {@link #socket()}): the server started on
     * this endpoint takes it over, and clients may connect before it does.
     */
    public void listening(BoundUnixSocket socket) {
        if (!isUnix() || !socket.path().equals(this.socket)) {
            throw new IllegalArgumentException(socket.path() + " is not this endpoint's socket");
        }
        this.listening = socket;
    }

    /** The socket bound ahead of the server, or null. */
    BoundUnixSocket listening() {
        return listening;
    }

    /**
     * A standard NBD URI: {@code nbd+unix:///EXPORT?socket=PATH} or {@code nbd://HOST:PORT/EXPORT};
     * with TLS {@code nbds+unix://} or {@code nbds://} and {@code tls-certificates=DIR}, as libnbd
     * takes them.
     */
    public String uri() {
        String export = encode(exportName).replace("%2F", "/");
        String scheme = tls() ? "nbds" : "nbd";
        String tlsQuery =
                tls()
                        ? "tls-certificates="
                                + encode(tlsCertificates.toString()).replace("%2F", "/")
                        : "";
        if (isUnix()) {
            return scheme
                    + "+unix:///"
                    + export
                    + "?socket="
                    + encode(socket.toString()).replace("%2F", "/")
                    + (tls() ? "&" + tlsQuery : "");
        }
        String h = host.contains(":") ? "[" + host + "]" : host;
        return scheme + "://" + h + ":" + port + "/" + export + (tls() ? "?" + tlsQuery : "");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * What a command run against this endpoint finds in its environment: {@code uri} and {@code
     * nbd}, {@code exportname}, {@code unixsocket} or {@code port}, and {@code tls=1} with TLS. A
     * null value means the variable must be unset (an inherited one would mislead the command).
     */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("uri", uri());
        env.put("nbd", uri());
        env.put("exportname", exportName);
        env.put("tls", tls() ? "1" : null);
        env.put("unixsocket", isUnix() ? socket.toString() : null);
        env.put("port", isUnix() ? null : Integer.toString(port));
        return env;
    }

    /**
     * Sets {@link #environment()} in a process's environment, without what the launcher set for our
     * JVM alone.
     */
    void exportTo(Map<String, String> processEnvironment) {
        LauncherEnvironment.removeFrom(processEnvironment);
        environment()
                .forEach(
                        (k, v) -> {
                            if (v == null) {
                                processEnvironment.remove(k);
                            } else {
                                processEnvironment.put(k, v);
                            }
                        });
    }

    /**
     * Closes a socket bound ahead that no server took over, and removes the private socket folder,
     * if we made one.
     */
    public void cleanUp() {
        if (listening != null) {
            listening.close();
        }
        if (privateDir == null) {
            return;
        }
        delete(privateDir.toFile()); // best effort at exit
    }

    /**
     * Deletes a file or a folder with what it holds (plain File calls: the stream API's first use
     * costs an exiting run several milliseconds).
     */
    private static void delete(File f) {
        File[] inside = f.listFiles();
        if (inside != null) {
            for (File g : inside) {
                delete(g);
            }
        }
        if (!f.delete()) {
            f.deleteOnExit();
        }
    }
}
