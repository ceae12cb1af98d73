package io.sparserandom.cli;

import io.sparserandom.generator.DiskParams;
import io.sparserandom.generator.Shape;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The disk parameters as nbdkit takes them: {@code [size=]SIZE [seed=N] [percent=P]
 * [runlength=BYTES] [random-content=BOOL] [compat=nbdkit]}, or {@code shape=FILE|NAME} in place of
 * percent and runlength (the size then defaults to the shape's). Validated here, once, into an
 * immutable {@link DiskParams}.
 */
public final class DiskArguments {
    private DiskArguments() {}

    /** The parsed parameters, and whether the seed was chosen at random (so it must be printed). */
    public record Parsed(DiskParams params, boolean randomSeed) {}

    public static Parsed parse(List<String> args) {
        Long size = null;
        Long seed = null;
        double percent = DiskParams.DEFAULT_PERCENT;
        long runlength = DiskParams.DEFAULT_RUNLENGTH;
        boolean randomContent = false;
        DiskParams.Model model = DiskParams.Model.DEFAULT;
        String shapeName = null;
        String chainKey = null; // percent= or runlength=, which shape= replaces
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String key = eq < 0 ? "size" : arg.substring(0, eq);
            String value = eq < 0 ? arg : arg.substring(eq + 1);
            switch (key) {
                case "size" -> {
                    if (size != null) {
                        throw new IllegalArgumentException("size given twice ('" + arg + "')");
                    }
                    size = Sizes.parseSize("size", value);
                    if (size == 0) {
                        throw new IllegalArgumentException(
                                "size: '" + value + "' is 0; the disk needs at least 1 byte");
                    }
                }
                case "seed" -> seed = Sizes.parseUint32("seed", value);
                case "percent" -> {
                    percent = Sizes.parsePercent("percent", value);
                    chainKey = key;
                }
                case "shape" -> {
                    if (value.isEmpty()) {
                        throw new IllegalArgumentException(
                                "shape: give a shape file or a built-in name ("
                                        + String.join(" ", Shape.builtinNames())
                                        + ")");
                    }
                    shapeName = value;
                }
                case "runlength" -> {
                    chainKey = key;
                    runlength = Sizes.parseSize("runlength", value);
                    if (runlength == 0) {
                        throw new IllegalArgumentException(
                                "runlength: '" + value + "' must be at least 1 byte");
                    }
                }
                case "random-content" -> randomContent = Sizes.parseBool("random-content", value);
                case "compat" -> {
                    if (!value.equals("nbdkit")) {
                        throw new IllegalArgumentException(
                                "compat: '"
                                        + value
                                        + "' is not known (the only value is 'nbdkit')");
                    }
                    model = DiskParams.Model.NBDKIT;
                }
                default ->
                        throw new IllegalArgumentException(
                                "unknown parameter '"
                                        + key
                                        + "' in '"
                                        + arg
                                        + "' (known: size seed percent runlength random-content compat shape)");
            }
        }
        if (shapeName != null) {
            return shaped(shapeName, chainKey, size, seed, randomContent, model);
        }
        if (size == null) {
            throw new IllegalArgumentException(
                    "the disk size is required, e.g. 'sparse-random 1T' or 'size=64G'");
        }
        boolean random = seed == null;
        long s = random ? randomSeed() : seed;
        return new Parsed(
                new DiskParams(size, s, percent, runlength, randomContent, model), random);
    }

    /** shape=: the size defaults to the learned one; percent and runlength make no sense. */
    private static Parsed shaped(
            String name,
            String chainKey,
            Long size,
            Long seed,
            boolean randomContent,
            DiskParams.Model model) {
        if (chainKey != null) {
            throw new IllegalArgumentException(
                    chainKey + "= cannot be used with shape= (the shape says where the data is)");
        }
        if (model != DiskParams.Model.DEFAULT) {
            throw new IllegalArgumentException("compat=nbdkit cannot be used with shape=");
        }
        Shape shape = Shape.load(name);
        boolean random = seed == null;
        long s = random ? randomSeed() : seed;
        return new Parsed(
                DiskParams.shaped(size == null ? shape.size() : size, s, randomContent, shape),
                random);
    }

    /**
     * A seed for a disk nobody gave one: printed, so the run can be repeated; it needs to differ
     * from run to run, not to be secret (a SecureRandom cost start-up tens of milliseconds).
     */
    private static long randomSeed() {
        return ThreadLocalRandom.current().nextInt() & 0xffffffffL;
    }
}
