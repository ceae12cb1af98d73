package io.sparserandom.learn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.sparserandom.client.Extent;
import io.sparserandom.client.NbdClient;
import io.sparserandom.client.NbdUri;
import io.sparserandom.generator.Shape;
import io.sparserandom.generator.Shape.State;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Learns a {@link Shape} (the allocation map, never the content) from a file or block device, an
 * NBD export, or a JSON map.
 *
 * <p>Files: Java cannot call lseek with SEEK_DATA/SEEK_HOLE (FileChannel has no whence, and Java 17
 * has no stable foreign-function API), so the map comes from {@code qemu-img map --output=json},
 * whose file driver asks the kernel exactly that (SEEK_DATA/SEEK_HOLE, or FIEMAP). Running the real
 * tool is more honest than guessing holes from zeroes in the content.
 */
public final class ShapeLearner {
    static final int BLOCK = 4096;

    /** Block status asks for at most this much at once (the client's request limit is 32 bits). */
    private static final long STATUS_CHUNK = 1L << 30;

    private static final int ZERO_SCAN_CHUNK = 1 << 20;

    private ShapeLearner() {}

    /** Reads {@code length} bytes at {@code offset} of the source into {@code dst}. */
    interface Reader {
        void read(long offset, ByteBuffer dst) throws IOException;
    }

    // ---- NBD ----

    /** Block status over the whole export, with the HOLE and ZERO flags kept apart. */
    public static Shape fromNbd(String uri, boolean zeroes) throws IOException {
        NbdUri u = NbdUri.parse(uri);
        try (NbdClient c = NbdClient.connect(u)) {
            if (!c.info().metaContext()) {
                throw new IOException(uri + ": the server does not offer base:allocation");
            }
            long size = c.size();
            Shape.Builder b =
                    new Shape.Builder(
                            uri,
                            "NBD block status base:allocation"
                                    + (zeroes ? ", all-zero 4 KiB blocks found by reading" : ""));
            Reader reader =
                    (offset, dst) -> {
                        ByteBuf buf = c.pread(offset, dst.remaining());
                        try {
                            buf.readBytes(dst);
                        } finally {
                            buf.release();
                        }
                    };
            long pos = 0;
            while (pos < size) {
                List<Extent> ext = c.blockStatus(pos, Math.min(STATUS_CHUNK, size - pos), false);
                long before = pos;
                for (Extent e : ext) {
                    long len = Math.min(e.length(), size - pos);
                    State st = e.hole() ? State.HOLE : e.zero() ? State.ZERO : State.DATA;
                    add(b, st, pos, len, zeroes ? reader : null);
                    pos += len;
                }
                if (pos == before) {
                    throw new IOException(uri + ": block status made no progress at " + pos);
                }
            }
            return b.build();
        }
    }

    // ---- files and block devices ----

    /** The map of a file or block device from {@code qemu-img map} (see the class doc). */
    public static Shape fromFile(Path file, boolean zeroes) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException(file + ": cannot read it");
        }
        byte[] json = run("qemu-img", "map", "--output=json", "-f", "raw", file.toString());
        Shape.Builder b =
                new Shape.Builder(
                        "file:" + file.toAbsolutePath(),
                        "qemu-img map (SEEK_DATA/SEEK_HOLE)"
                                + (zeroes ? ", all-zero 4 KiB blocks found by reading" : ""));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Reader reader =
                    (offset, dst) -> {
                        long at = offset;
                        while (dst.hasRemaining()) {
                            int n = ch.read(dst, at);
                            if (n < 0) {
                                throw new IOException(file + ": short read at " + at);
                            }
                            at += n;
                        }
                    };
            addMap(b, parse(json, file + " (qemu-img map)"), zeroes ? reader : null);
        }
        return b.build();
    }

    // ---- JSON maps ----

    /** A saved map from {@code qemu-img map --output=json} or {@code nbdinfo --map --json}. */
    public static Shape fromJson(Path file) throws IOException {
        byte[] json = Files.readAllBytes(file);
        List<long[]> map = parse(json, file.toString());
        Shape.Builder b = new Shape.Builder("file:" + file.toAbsolutePath(), mapKind(json));
        addMap(b, map, null);
        return b.build();
    }

    /** Whether the file looks like a JSON map (its first non-blank byte opens an array). */
    public static boolean looksLikeJson(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            for (int c; (c = in.read()) >= 0; ) {
                if (!Character.isWhitespace(c)) {
                    return c == '[';
                }
            }
        }
        return false;
    }

    private static String mapKind(byte[] json) {
        String s = new String(json, 0, Math.min(json.length, 200), StandardCharsets.UTF_8);
        return s.contains("\"start\"") ? "qemu-img map JSON" : "nbdinfo --map JSON";
    }

    /**
     * The entries of a qemu-img or nbdinfo JSON map as (offset, length, state ordinal), checked to
     * be in order and without gaps.
     */
    static List<long[]> parse(byte[] json, String name) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IOException(
                    name + ": not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new IOException(name + ": not a map (expected a non-empty JSON array)");
        }
        List<long[]> out = new ArrayList<>();
        long expect = 0;
        for (JsonNode n : root) {
            long offset;
            State st;
            if (n.has("start")) { // qemu-img: data (allocated) and zero (reads as zeroes)
                offset = n.path("start").asLong(-1);
                boolean data = n.path("data").asBoolean(false);
                boolean zero = n.path("zero").asBoolean(false);
                st = !data ? State.HOLE : zero ? State.ZERO : State.DATA;
            } else if (n.has("offset") && n.has("type")) { // nbdinfo: NBD_STATE_* bits
                offset = n.path("offset").asLong(-1);
                int type = n.path("type").asInt(0);
                st = (type & 1) != 0 ? State.HOLE : (type & 2) != 0 ? State.ZERO : State.DATA;
            } else {
                throw new IOException(
                        name + ": an entry is neither qemu-img's nor nbdinfo's: " + n);
            }
            long length = n.path("length").asLong(-1);
            if (offset != expect || length <= 0) {
                throw new IOException(
                        name
                                + ": entry at offset "
                                + offset
                                + " length "
                                + length
                                + " does not follow the previous one (expected offset "
                                + expect
                                + ")");
            }
            expect = offset + length;
            out.add(new long[] {offset, length, st.ordinal()});
        }
        return out;
    }

    private static void addMap(Shape.Builder b, List<long[]> map, Reader reader)
            throws IOException {
        for (long[] e : map) {
            add(b, State.values()[(int) e[2]], e[0], e[1], reader);
        }
    }

    /**
     * Adds one run; with a reader, a data run is read and its whole all-zero 4 KiB blocks become
     * allocated zero.
     */
    private static void add(Shape.Builder b, State st, long offset, long length, Reader reader)
            throws IOException {
        if (st != State.DATA || reader == null) {
            b.add(st, length);
            return;
        }
        long end = offset + length;
        long first = Math.min(end, (offset + BLOCK - 1) & -BLOCK);
        b.add(State.DATA, first - offset); // a partial head block stays data
        ByteBuffer buf = ByteBuffer.allocateDirect(ZERO_SCAN_CHUNK);
        long pos = first;
        while (end - pos >= BLOCK) {
            int n = (int) Math.min(ZERO_SCAN_CHUNK, (end - pos) & -BLOCK);
            buf.clear().limit(n);
            reader.read(pos, buf);
            for (int i = 0; i < n; i += BLOCK) {
                b.add(allZero(buf, i) ? State.ZERO : State.DATA, BLOCK);
            }
            pos += n;
        }
        b.add(State.DATA, end - pos);
    }

    private static boolean allZero(ByteBuffer buf, int at) {
        for (int i = at; i < at + BLOCK; i += 8) {
            if (buf.getLong(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Runs a tool and returns its stdout; a failure becomes one line with its stderr. */
    static byte[] run(String... command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new IOException(
                    command[0] + " is needed to learn a file's map: " + e.getMessage());
        }
        p.getOutputStream().close();
        byte[][] err = new byte[1][];
        Thread drain =
                new Thread(
                        () -> {
                            try {
                                err[0] = p.getErrorStream().readAllBytes();
                            } catch (IOException e) {
                                err[0] = new byte[0];
                            }
                        });
        drain.start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(command[0] + " did not finish in 10 minutes");
            }
            drain.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted waiting for " + command[0], e);
        }
        if (p.exitValue() != 0) {
            String msg = new String(err[0], StandardCharsets.UTF_8).strip().replace('\n', ' ');
            throw new IOException(String.join(" ", command) + " failed: " + msg);
        }
        return out;
    }
}
