package io.sparserandom.cli;

import io.sparserandom.faults.FaultPlan;
import io.sparserandom.faults.MaskedFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The fault options (issue 14), shared by the main command, {@code serve}, {@code bench} and {@code
 * gate}. picocli collects the raw values; {@link #plan} turns them into one {@link FaultPlan} with
 * the faults module's parsers, so a bad value is a one-line usage error (exit 2).
 */
public final class FaultOptions {
    @Option(
            names = "--error",
            paramLabel = "OPS:RATE[:ERRNO][:once]",
            description =
                    "Fail requests of OPS (read,write,zero,trim,flush,cache,block-status or all) with ERRNO"
                            + " (default EIO) with probability RATE (1%% or 0.01); once: a retry succeeds. Repeatable.")
    List<String> errors = new ArrayList<>();

    @Option(
            names = "--delay",
            paramLabel = "OPS:DURATION",
            description =
                    "Each request of OPS waits DURATION (500us, 2ms, 1s) before its reply, without"
                            + " holding up other requests. Repeatable.")
    List<String> delays = new ArrayList<>();

    @Option(
            names = "--rate",
            paramLabel = "BYTES",
            description =
                    "Cap data bytes (read and written) per second over all connections, e.g. 200M.")
    String rate;

    @Option(
            names = "--block-size",
            paramLabel = "MIN:PREFERRED:MAX",
            description = "Advertise these block size limits (e.g. 4K:64K:1M) and enforce them.")
    String blockSize;

    @Option(
            names = "--block-size-policy",
            paramLabel = "error|disconnect",
            description =
                    "A request breaking the limits gets EINVAL (error, the default) or drops the connection.")
    String blockSizePolicy;

    @Option(
            names = "--disconnect-after",
            paramLabel = "BYTES",
            description = "Once this many data bytes have moved, drop every open connection, once.")
    String disconnectAfter;

    @Option(
            names = "--corrupt-reads",
            paramLabel = "RATE",
            description = "Return a data block read with one bit flipped, with probability RATE.")
    String corruptReads;

    @Option(
            names = "--fault-seed",
            paramLabel = "N",
            description = "Seed of every fault decision (default: the disk's seed).")
    String faultSeed;

    @Option(names = "--no-extents", description = "Do not offer base:allocation.")
    boolean noExtents;

    @Option(names = "--no-multi-conn", description = "Do not advertise multi-conn.")
    boolean noMultiConn;

    @Option(names = "--no-zero", description = "Do not advertise write zeroes.")
    boolean noZero;

    @Option(names = "--no-fast-zero", description = "Do not advertise fast zero.")
    boolean noFastZero;

    @Option(names = "--no-trim", description = "Do not advertise trim.")
    boolean noTrim;

    @Option(names = "--no-fua", description = "Do not advertise FUA.")
    boolean noFua;

    @Option(names = "--no-flush", description = "Do not advertise flush.")
    boolean noFlush;

    @Option(names = "--no-cache", description = "Do not advertise cache.")
    boolean noCache;

    /**
     * The options as one plan.
     *
     * @throws CommandLine.ParameterException for a bad value, naming it in one line
     */
    public FaultPlan plan(CommandSpec spec) {
        return plan(spec::commandLine);
    }

    /** The same, naming a command line only when a value is bad. */
    FaultPlan plan(Supplier<CommandLine> commandLine) {
        try {
            FaultPlan.Builder b = FaultPlan.builder();
            errors.forEach(e -> b.option("--error", e));
            delays.forEach(d -> b.option("--delay", d));
            option(b, "--rate", rate);
            option(b, "--block-size", blockSize);
            option(b, "--block-size-policy", blockSizePolicy);
            option(b, "--disconnect-after", disconnectAfter);
            option(b, "--corrupt-reads", corruptReads);
            option(b, "--fault-seed", faultSeed);
            mask(b, noExtents, MaskedFeature.EXTENTS);
            mask(b, noMultiConn, MaskedFeature.MULTI_CONN);
            mask(b, noZero, MaskedFeature.ZERO);
            mask(b, noFastZero, MaskedFeature.FAST_ZERO);
            mask(b, noTrim, MaskedFeature.TRIM);
            mask(b, noFua, MaskedFeature.FUA);
            mask(b, noFlush, MaskedFeature.FLUSH);
            mask(b, noCache, MaskedFeature.CACHE);
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine.get(), e.getMessage());
        }
    }

    private static void option(FaultPlan.Builder b, String name, String value) {
        if (value != null) {
            b.option(name, value);
        }
    }

    private static void mask(FaultPlan.Builder b, boolean given, MaskedFeature f) {
        if (given) {
            b.mask(f);
        }
    }
}
