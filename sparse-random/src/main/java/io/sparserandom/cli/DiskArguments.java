package io.sparserandom.cli;

import io.sparserandom.generator.DiskParams;
import java.security.SecureRandom;
import java.util.List;

/**
 * The disk parameters as nbdkit takes them: {@code [size=]SIZE [seed=N] [percent=P]
 * [runlength=BYTES] [random-content=BOOL] [compat=nbdkit]}. Validated here, once, into an immutable
 * {@link DiskParams}.
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
                case "percent" -> percent = Sizes.parsePercent("percent", value);
                case "runlength" -> {
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
                                        + "' (known: size seed percent runlength random-content compat)");
            }
        }
        if (size == null) {
            throw new IllegalArgumentException(
                    "the disk size is required, e.g. 'sparse-random 1T' or 'size=64G'");
        }
        boolean random = seed == null;
        long s = random ? new SecureRandom().nextInt() & 0xffffffffL : seed;
        return new Parsed(
                new DiskParams(size, s, percent, runlength, randomContent, model), random);
    }
}
