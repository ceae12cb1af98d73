package io.sparserandom.cli;

import io.sparserandom.copy.Copier;
import io.sparserandom.copy.CopyException;
import io.sparserandom.copy.CopyOptions;
import io.sparserandom.copy.CopyResult;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code copy [OPTIONS] SRC DST}: the built-in copier. SRC and DST are NBD URIs
 * (nbd://host[:port]/export, nbd+unix:///export?socket=PATH) or local files. The logic lives in
 * {@link Copier}; this class only parses, prints and maps the outcome to an exit code (0 success, 1
 * copy error, 2 bad arguments).
 */
@Command(
        name = "copy",
        addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        description = "Copy an NBD export or file to another, skipping holes (like nbdcopy).")
public final class CopyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SRC", description = "Source: NBD URI or file.")
    String source;

    @Parameters(
            index = "1",
            paramLabel = "DST",
            description = "Target: NBD URI or file (created if missing).")
    String target;

    @Option(
            names = "--connections",
            paramLabel = "N",
            description =
                    "Connections per side (default: 4 when both sides allow multi-conn, else 1).")
    Integer connections;

    @Option(
            names = "--requests",
            paramLabel = "N",
            defaultValue = "" + CopyOptions.DEFAULT_REQUESTS,
            description = "Requests in flight per connection (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(
            names = "--request-size",
            paramLabel = "SIZE",
            defaultValue = "256K",
            converter = SizeConverter.class,
            description =
                    "Bytes per read/write request, e.g. 256K, 1M (default: ${DEFAULT-VALUE}).")
    int requestSize;

    @Option(
            names = "--no-extents",
            description = "Do not ask the source for holes; copy everything as data.")
    boolean noExtents;

    @Option(
            names = "--target-is-zero",
            description = "The target already reads as zeroes: skip zeroing holes.")
    boolean targetIsZero;

    @Option(names = "--flush", description = "Flush the target at the end.")
    boolean flush;

    @Option(
            names = {"-p", "--progress"},
            description = "Show a progress bar on stderr (when it is a terminal).")
    boolean progress;

    @Option(
            names = {"-v", "--verbose"},
            description = "Print the resolved copy plan before copying.")
    boolean verbose;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() {
        CopyOptions options;
        try {
            options =
                    new CopyOptions(
                            source,
                            target,
                            connections,
                            requests,
                            requestSize,
                            !noExtents,
                            targetIsZero,
                            flush,
                            progress);
        } catch (IllegalArgumentException e) {
            err.println("copy: " + e.getMessage());
            return 2;
        }
        Copier copier = new Copier(options);
        // JDK 17: System.console() is null exactly when stdin or stdout is not a terminal.
        @SuppressWarnings("SystemConsoleNull")
        boolean terminal = System.console() != null;
        Thread bar = progress && terminal ? startProgressBar(copier) : null;
        try {
            CopyResult result =
                    copier.run(
                            plan -> {
                                if (verbose) {
                                    err.println(plan);
                                }
                            });
            out.println(result.summary());
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("copy: " + e.getMessage());
            return 2;
        } catch (CopyException e) {
            err.println("copy: " + e.getMessage());
            return 1;
        } finally {
            if (bar != null) {
                bar.interrupt();
                try {
                    bar.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                err.println();
            }
        }
    }

    private Thread startProgressBar(Copier copier) {
        Thread t =
                new Thread(
                        () -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                drawBar(copier);
                                try {
                                    Thread.sleep(250);
                                } catch (InterruptedException e) {
                                    break;
                                }
                            }
                            drawBar(copier);
                        },
                        "copy-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void drawBar(Copier copier) {
        long total = copier.totalBytes();
        if (total <= 0) {
            return;
        }
        int width = 40;
        double frac = Math.min(1.0, (double) copier.bytesDone() / total);
        int filled = (int) (frac * width);
        err.print(
                "\r["
                        + "#".repeat(filled)
                        + ".".repeat(width - filled)
                        + "] "
                        + String.format(Locale.ROOT, "%5.1f%%", frac * 100));
        err.flush();
    }

    /** Parses 512, 64K, 256k, 1M, 32M (binary units). */
    public static final class SizeConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String v = value.trim().toUpperCase(Locale.ROOT);
            long mult = 1;
            if (v.endsWith("K")) {
                mult = 1024;
            } else if (v.endsWith("M")) {
                mult = 1024 * 1024;
            }
            if (mult != 1) {
                v = v.substring(0, v.length() - 1);
            }
            long n = Long.parseLong(v) * mult;
            if (n > Integer.MAX_VALUE || n <= 0) {
                throw new IllegalArgumentException("size out of range: " + value);
            }
            return (int) n;
        }
    }
}
