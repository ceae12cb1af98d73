package io.sparserandom.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real NBD server (nbdkit or qemu-nbd) on a Unix socket in a temp dir, stopped by close(). */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final Path socket;

    private ServerProcess(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    /** {@code nbdkit -U sock -P pidfile -f --exit-with-parent <args>}. */
    public static ServerProcess nbdkit(Path dir, String... args) throws IOException {
        Interop.require("nbdkit");
        String name = "nbdkit-" + System.nanoTime();
        Path sock = dir.resolve(name + ".sock");
        Path pid = dir.resolve(name + ".pid");
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                "nbdkit",
                                "-U",
                                sock.toString(),
                                "-P",
                                pid.toString(),
                                "-f",
                                "--exit-with-parent"));
        cmd.addAll(List.of(args));
        return start(cmd, sock, pid);
    }

    /** {@code qemu-nbd -f raw -k sock --pid-file pidfile file} (multi-connection, writable). */
    public static ServerProcess qemuNbd(Path dir, Path file) throws IOException {
        Interop.require("qemu-nbd");
        String name = "qemu-" + System.nanoTime();
        Path sock = dir.resolve(name + ".sock");
        Path pid = dir.resolve(name + ".pid");
        return start(
                List.of(
                        "qemu-nbd",
                        "-f",
                        "raw",
                        "-t",
                        "-e",
                        "8",
                        "-k",
                        sock.toString(),
                        "--pid-file=" + pid,
                        file.toString()),
                sock,
                pid);
    }

    /**
     * Waits for the pid file: both servers write it once they accept connections. The socket file
     * alone is not enough, it exists from bind(), before listen(), and a client connecting in
     * between is refused.
     */
    private static ServerProcess start(List<String> cmd, Path sock, Path pid) throws IOException {
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!written(pid)) {
            if (!p.isAlive()) {
                throw new IOException(cmd + " exited with " + p.exitValue());
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException(cmd + " did not write its pid file");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        return new ServerProcess(p, sock);
    }

    /** A whole line: the server may have created the file and not yet written it. */
    private static boolean written(Path pid) throws IOException {
        try {
            return Files.readString(pid).endsWith("\n");
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    public Path socket() {
        return socket;
    }

    /** The default export's URI, {@code nbd+unix:///?socket=...}. */
    public String uri() {
        return "nbd+unix:///?socket=" + socket;
    }

    /** SIGKILL: the server gets no chance to answer what is in flight. */
    public void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    @Override
    public void close() {
        process.destroy();
        if (!waitForExit()) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    private boolean waitForExit() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
