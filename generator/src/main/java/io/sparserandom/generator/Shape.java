package io.sparserandom.generator;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The allocation map of a real disk, without its content: its size, where it was learned from, and
 * its runs of holes, allocated zeroes and data. Immutable. Read and written in the shape file
 * format (documented in docs/shapes.md):
 *
 * <pre>
 *   sparse-random-shape 1
 *   size 17179869184
 *   source file:/var/tmp/ext4.img
 *   method qemu-img map (SEEK_DATA/SEEK_HOLE)
 *   unit 4096
 *   runs 46
 *   d12 h3 d61440 ...          (16 runs a line; letter d data, z allocated zero, h hole;
 *                              the length in units; the runs add up to the size)
 * </pre>
 *
 * Lines starting with {@code #} are comments. A file may be gzip-compressed (read either way).
 */
public final class Shape {
    /** The three block states, in the order a 4 KiB block that mixes them takes the highest. */
    public enum State {
        HOLE('h'),
        ZERO('z'),
        DATA('d');

        final char letter;

        State(char letter) {
            this.letter = letter;
        }

        static State of(char c) {
            for (State s : values()) {
                if (s.letter == c) {
                    return s;
                }
            }
            return null;
        }
    }

    static final String MAGIC = "sparse-random-shape 1";
    private static final int RUNS_PER_LINE = 16;

    /** A cap on runs read from a file, so a bad file cannot ask for unbounded memory. */
    public static final int MAX_RUNS = 64 << 20;

    private final long size;
    private final String source;
    private final String method;
    // Two primitive arrays, not a list of records: a million runs cost 9 MB instead of ~40.
    private final long[] lengths;
    private final byte[] states;

    private Shape(long size, String source, String method, long[] lengths, byte[] states) {
        this.size = size;
        this.source = source;
        this.method = method;
        this.lengths = lengths;
        this.states = states;
    }

    public long size() {
        return size;
    }

    public String source() {
        return source;
    }

    public String method() {
        return method;
    }

    public int runCount() {
        return lengths.length;
    }

    public long length(int run) {
        return lengths[run];
    }

    public State state(int run) {
        return State.values()[states[run]];
    }

    /** Bytes in runs of the given state. */
    public long bytes(State s) {
        long n = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (states[i] == s.ordinal()) {
                n += lengths[i];
            }
        }
        return n;
    }

    /** Same size and runs (where it was learned from does not count). */
    public boolean sameRuns(Shape o) {
        return size == o.size
                && Arrays.equals(lengths, o.lengths)
                && Arrays.equals(states, o.states);
    }

    /** Collects runs in order; neighbours of the same state merge, empty runs are dropped. */
    public static final class Builder {
        private final String source;
        private final String method;
        private long[] lengths = new long[64];
        private byte[] states = new byte[64];
        private int count;
        private long total;

        public Builder(String source, String method) {
            this.source = source;
            this.method = method;
        }

        public Builder add(State state, long length) {
            if (length < 0) {
                throw new IllegalArgumentException("negative run length " + length);
            }
            if (length == 0) {
                return this;
            }
            if (Long.MAX_VALUE - total < length) {
                throw new IllegalArgumentException("runs add up to more than 2^63-1 bytes");
            }
            total += length;
            if (count > 0 && states[count - 1] == state.ordinal()) {
                lengths[count - 1] += length;
                return this;
            }
            if (count == MAX_RUNS) {
                throw new IllegalArgumentException("more than " + MAX_RUNS + " runs");
            }
            if (count == lengths.length) {
                lengths = Arrays.copyOf(lengths, count * 2);
                states = Arrays.copyOf(states, count * 2);
            }
            lengths[count] = length;
            states[count++] = (byte) state.ordinal();
            return this;
        }

        /** Bytes added so far. */
        public long size() {
            return total;
        }

        public Shape build() {
            if (total == 0) {
                throw new IllegalArgumentException("the shape is empty (size 0)");
            }
            return new Shape(
                    total,
                    source,
                    method,
                    Arrays.copyOf(lengths, count),
                    Arrays.copyOf(states, count));
        }
    }

    // ---- the file format ----

    /** Writes the shape file (plain text; the caller may wrap the stream in gzip). */
    public void write(OutputStream out) throws IOException {
        long unit = unit();
        Writer w = new OutputStreamWriter(out, StandardCharsets.US_ASCII);
        w.write(MAGIC + "\n");
        w.write("# sparse-random shape: an allocation map without content; see docs/shapes.md\n");
        w.write("size " + size + "\n");
        w.write("source " + oneLine(source) + "\n");
        w.write("method " + oneLine(method) + "\n");
        w.write("unit " + unit + "\n");
        w.write("runs " + lengths.length + "\n");
        StringBuilder line = new StringBuilder(256);
        for (int i = 0; i < lengths.length; i++) {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(State.values()[states[i]].letter).append(lengths[i] / unit);
            if ((i + 1) % RUNS_PER_LINE == 0 || i == lengths.length - 1) {
                w.write(line.append('\n').toString());
                line.setLength(0);
            }
        }
        w.flush();
    }

    /**
     * The largest power of two up to 4096 dividing every run but the last (the last may end on an
     * odd size and is then stored with unit 1 if needed).
     */
    private long unit() {
        long unit = 4096;
        for (long len : lengths) {
            while (len % unit != 0) {
                unit >>= 1;
            }
        }
        return unit;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]", " ");
    }

    public static Shape read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads a shape file, plain or gzip.
     *
     * @param name how to call the input in error messages
     * @throws IOException on a read error or a malformed file (the message names the line)
     */
    public static Shape read(InputStream raw, String name) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        InputStream body = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in) : in;
        BufferedReader r =
                new BufferedReader(new InputStreamReader(body, StandardCharsets.US_ASCII));
        String first = r.readLine();
        if (first == null || !first.strip().equals(MAGIC)) {
            throw new IOException(
                    name + ": not a shape file (the first line must be '" + MAGIC + "')");
        }
        long size = -1;
        long unit = -1;
        long runs = -1;
        String source = "";
        String method = "";
        Builder builder = null;
        int lineNo = 1;
        for (String line; (line = r.readLine()) != null; ) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            try {
                if (builder == null) {
                    int sp = t.indexOf(' ');
                    String key = sp < 0 ? t : t.substring(0, sp);
                    String value = sp < 0 ? "" : t.substring(sp + 1).strip();
                    switch (key) {
                        case "size" -> size = positive(key, value);
                        case "unit" -> unit = positive(key, value);
                        case "runs" -> runs = positive(key, value);
                        case "source" -> source = value;
                        case "method" -> method = value;
                        default -> {
                            if (State.of(key.charAt(0)) == null) {
                                throw new IllegalArgumentException("unknown key '" + key + "'");
                            }
                            if (size < 0 || unit < 0 || runs < 0) {
                                throw new IllegalArgumentException(
                                        "runs before the size, unit and runs lines");
                            }
                            if (runs > MAX_RUNS) {
                                throw new IllegalArgumentException(
                                        "runs " + runs + " is more than " + MAX_RUNS);
                            }
                            builder = new Builder(source, method);
                        }
                    }
                }
                if (builder != null) {
                    for (String tok : t.split("\\s+")) {
                        State s = State.of(tok.charAt(0));
                        if (s == null || tok.length() < 2) {
                            throw new IllegalArgumentException("bad run '" + tok + "'");
                        }
                        long n = Long.parseLong(tok, 1, tok.length(), 10);
                        if (n <= 0 || n > Long.MAX_VALUE / unit) {
                            throw new IllegalArgumentException("bad run length '" + tok + "'");
                        }
                        builder.add(s, n * unit);
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new IOException(name + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        if (builder == null) {
            throw new IOException(name + ": no runs");
        }
        if (builder.size() != size) {
            throw new IOException(
                    name + ": the runs add up to " + builder.size() + " bytes, not size " + size);
        }
        return builder.build();
    }

    private static long positive(String key, String value) {
        long v;
        try {
            v = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + value + "' is not a number");
        }
        if (v <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + v);
        }
        return v;
    }

    /** Names of the shapes built into the jar. */
    public static List<String> builtinNames() {
        List<String> names = new ArrayList<>();
        try (InputStream in = Shape.class.getResourceAsStream("shapes/index")) {
            if (in != null) {
                for (String l :
                        new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                    if (!l.isBlank()) {
                        names.add(l.strip());
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the built-in shapes", e);
        }
        return names;
    }

    /**
     * A built-in shape ({@code ext4}, ...) or a shape file.
     *
     * @throws IllegalArgumentException naming the shape, when it is neither
     */
    public static Shape load(String nameOrFile) {
        String lower = nameOrFile.toLowerCase(Locale.ROOT);
        if (builtinNames().contains(lower)) {
            try (InputStream in = Shape.class.getResourceAsStream("shapes/" + lower + ".shape")) {
                return read(in, "built-in shape " + lower);
            } catch (IOException e) {
                throw new IllegalStateException("built-in shape " + lower + " is broken", e);
            }
        }
        Path p = Path.of(nameOrFile);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(
                    "shape: '"
                            + nameOrFile
                            + "' is neither a shape file nor a built-in shape (built-in: "
                            + String.join(" ", builtinNames())
                            + ")");
        }
        try {
            return read(p);
        } catch (IOException e) {
            throw new IllegalArgumentException("shape: " + e.getMessage(), e);
        }
    }
}
