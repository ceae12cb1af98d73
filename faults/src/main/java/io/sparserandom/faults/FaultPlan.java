package io.sparserandom.faults;

import io.sparserandom.device.BlockSizes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Every fault a server run injects, resolved from the options before any I/O, as nbdcopy resolves
 * its options into one plan. An immutable value: {@link #parse} reads option strings, {@link
 * #builder()} builds one by name, {@link #toArgs()} prints it back as options.
 *
 * <p>Device faults ({@code --error}, {@code --corrupt-reads}, {@code --no-*}) are applied by {@link
 * FaultInjection}; the others need the server ({@code --delay}, {@code --rate}, {@code
 * --block-size}, {@code --disconnect-after}, and {@code --no-extents} for the meta context), which
 * reads them from here.
 *
 * @param errors the {@code --error} rules in option order; the first rule that fails a request
 *     chooses its errno
 * @param corruptReads {@code --corrupt-reads}: probability that a data block reads with one bit
 *     flipped
 * @param faultSeed {@code --fault-seed}; empty means the disk's seed
 * @param masked the {@code --no-*} switches given
 * @param delays the {@code --delay} rules; a command's delay is the sum of those naming it
 * @param rate {@code --rate}: data bytes per second over all connections, 0 for no cap
 * @param blockSizes {@code --block-size}, when given
 * @param blockSizePolicy {@code --block-size-policy}
 * @param disconnectAfter {@code --disconnect-after}: data bytes after which every connection is
 *     dropped once, 0 for never
 */
public record FaultPlan(
        List<ErrorRule> errors,
        FaultRate corruptReads,
        OptionalLong faultSeed,
        Set<MaskedFeature> masked,
        List<DelayRule> delays,
        long rate,
        Optional<BlockSizes> blockSizes,
        BlockSizePolicy blockSizePolicy,
        long disconnectAfter) {
    private static final FaultPlan NONE = builder().build();

    public FaultPlan {
        errors = List.copyOf(errors);
        masked = masked.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(masked));
        delays = List.copyOf(delays);
        if (rate < 0 || disconnectAfter < 0) {
            throw new IllegalArgumentException("negative --rate or --disconnect-after");
        }
    }

    /** No faults at all. */
    public static FaultPlan none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when this plan changes nothing, so neither device nor server need change. */
    public boolean isEmpty() {
        return !hasDeviceFaults() && !hasServerFaults();
    }

    /** True when {@link FaultInjection#decorate} adds a decorator. */
    public boolean hasDeviceFaults() {
        return !errors.isEmpty() || !corruptReads.isZero() || !masked.isEmpty();
    }

    /** True when the server itself must act: delays, a rate cap, limits or a disconnect. */
    public boolean hasServerFaults() {
        return !delays.isEmpty() || rate > 0 || enforcesBlockSizes() || disconnectAfter > 0;
    }

    /**
     * True when requests are checked against block size limits: those of {@code --block-size}, or
     * the default ones (1, 4K, 32M) under {@code --block-size-policy disconnect}.
     */
    public boolean enforcesBlockSizes() {
        return blockSizes.isPresent() || blockSizePolicy == BlockSizePolicy.DISCONNECT;
    }

    /** The limits advertised and, when {@link #enforcesBlockSizes}, enforced. */
    public BlockSizes effectiveBlockSizes() {
        return blockSizes.orElse(BlockSizes.DEFAULT);
    }

    /** The seed of every fault decision: {@code --fault-seed}, or else the disk's seed. */
    public long seed(long diskSeed) {
        return faultSeed.orElse(diskSeed);
    }

    public boolean isMasked(MaskedFeature feature) {
        return masked.contains(feature);
    }

    /** How long a request of {@code command} waits before its reply: the sum of its rules. */
    public Duration delay(FaultCommand command) {
        Duration d = Duration.ZERO;
        for (DelayRule r : delays) {
            if (r.commands().contains(command)) {
                d = d.plus(r.delay());
            }
        }
        return d;
    }

    /** Options that may be given once, with a value. */
    private static final Set<String> SINGLE =
            Set.of(
                    "--corrupt-reads",
                    "--fault-seed",
                    "--rate",
                    "--block-size",
                    "--block-size-policy",
                    "--disconnect-after");

    /**
     * Parses fault options, each either {@code --name value}, {@code --name=value} or a bare {@code
     * --no-*} switch. {@code --error} and {@code --delay} may repeat; the others may be given once.
     *
     * @throws IllegalArgumentException naming the bad option or value, in one line
     */
    public static FaultPlan parse(List<String> args) {
        Builder b = builder();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int eq = arg.indexOf('=');
            String name = eq >= 0 ? arg.substring(0, eq) : arg;
            MaskedFeature feature = MaskedFeature.byOption(name);
            if (feature != null) {
                if (eq >= 0) {
                    throw new IllegalArgumentException(
                            name + " takes no value (got '" + arg + "')");
                }
                b.mask(feature);
                continue;
            }
            if (!name.equals("--error") && !name.equals("--delay") && !SINGLE.contains(name)) {
                throw new IllegalArgumentException("unknown fault option '" + arg + "'");
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            if (SINGLE.contains(name) && !seen.add(name)) {
                throw new IllegalArgumentException(name + " given twice");
            }
            b.option(name, value);
        }
        return b.build();
    }

    /** Parses {@code --fault-seed}: a decimal 64-bit number, signed or unsigned. */
    public static long parseSeed(String text) {
        try {
            return text.startsWith("-") ? Long.parseLong(text) : Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "bad --fault-seed '" + text + "' (expected a 64-bit decimal number)");
        }
    }

    /** Parses {@code --corrupt-reads}. */
    public static FaultRate parseCorruptReads(String text) {
        try {
            return FaultRate.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--corrupt-reads: " + e.getMessage());
        }
    }

    /**
     * The plan as options, for {@code --verbose} and logs; {@link #parse} reads them back to an
     * equal plan.
     */
    public List<String> toArgs() {
        List<String> out = new ArrayList<>();
        for (ErrorRule r : errors) {
            out.add("--error");
            out.add(r.toString());
        }
        for (DelayRule r : delays) {
            out.add("--delay");
            out.add(r.toString());
        }
        if (rate > 0) {
            out.add("--rate");
            out.add(Long.toString(rate));
        }
        blockSizes.ifPresent(
                s -> {
                    out.add("--block-size");
                    out.add(s.toString());
                });
        if (blockSizePolicy != BlockSizePolicy.ERROR) {
            out.add("--block-size-policy");
            out.add(blockSizePolicy.toString());
        }
        if (disconnectAfter > 0) {
            out.add("--disconnect-after");
            out.add(Long.toString(disconnectAfter));
        }
        if (!corruptReads.isZero()) {
            out.add("--corrupt-reads");
            out.add(corruptReads.toString());
        }
        faultSeed.ifPresent(
                s -> {
                    out.add("--fault-seed");
                    out.add(Long.toString(s));
                });
        for (MaskedFeature f : masked) {
            out.add(f.option());
        }
        return out;
    }

    @Override
    public String toString() {
        return isEmpty() && faultSeed.isEmpty() ? "no faults" : String.join(" ", toArgs());
    }

    /** Named construction, starting from no faults. */
    public static final class Builder {
        private final List<ErrorRule> errors = new ArrayList<>();
        private FaultRate corruptReads = FaultRate.NEVER;
        private OptionalLong faultSeed = OptionalLong.empty();
        private final Set<MaskedFeature> masked = EnumSet.noneOf(MaskedFeature.class);
        private final List<DelayRule> delays = new ArrayList<>();
        private long rate;
        private Optional<BlockSizes> blockSizes = Optional.empty();
        private BlockSizePolicy blockSizePolicy = BlockSizePolicy.ERROR;
        private long disconnectAfter;

        private Builder() {}

        /**
         * Applies one option with a value by its name ({@code --error}, {@code --rate}, ...), the
         * value parsed as on the command line. Repeating a single-valued option replaces it.
         *
         * @throws IllegalArgumentException for an unknown name or a bad value, in one line
         */
        public Builder option(String name, String value) {
            switch (name) {
                case "--error" -> error(ErrorRule.parse(value));
                case "--delay" -> delay(DelayRule.parse(value));
                case "--rate" -> rate(FaultValues.parsePositiveBytes(name, value));
                case "--block-size" -> blockSizes(FaultValues.parseBlockSizes(name, value));
                case "--block-size-policy" -> blockSizePolicy(BlockSizePolicy.parse(value));
                case "--disconnect-after" ->
                        disconnectAfter(FaultValues.parsePositiveBytes(name, value));
                case "--corrupt-reads" -> corruptReads(parseCorruptReads(value));
                case "--fault-seed" -> faultSeed(parseSeed(value));
                default ->
                        throw new IllegalArgumentException("unknown fault option '" + name + "'");
            }
            return this;
        }

        public Builder error(ErrorRule rule) {
            errors.add(rule);
            return this;
        }

        public Builder corruptReads(FaultRate rate) {
            corruptReads = rate;
            return this;
        }

        public Builder faultSeed(long seed) {
            faultSeed = OptionalLong.of(seed);
            return this;
        }

        public Builder mask(MaskedFeature feature) {
            masked.add(feature);
            return this;
        }

        public Builder delay(DelayRule rule) {
            delays.add(rule);
            return this;
        }

        /** Data bytes per second over all connections; 0 for no cap. */
        public Builder rate(long bytesPerSecond) {
            rate = bytesPerSecond;
            return this;
        }

        public Builder blockSizes(BlockSizes sizes) {
            blockSizes = Optional.of(sizes);
            return this;
        }

        public Builder blockSizePolicy(BlockSizePolicy policy) {
            blockSizePolicy = policy;
            return this;
        }

        /** Data bytes after which every connection is dropped once; 0 for never. */
        public Builder disconnectAfter(long bytes) {
            disconnectAfter = bytes;
            return this;
        }

        public FaultPlan build() {
            return new FaultPlan(
                    errors,
                    corruptReads,
                    faultSeed,
                    masked,
                    delays,
                    rate,
                    blockSizes,
                    blockSizePolicy,
                    disconnectAfter);
        }
    }
}
