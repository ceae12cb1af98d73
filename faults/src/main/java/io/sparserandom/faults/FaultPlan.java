package io.sparserandom.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Every fault a server run injects, resolved from the options before any I/O, as nbdcopy resolves
 * its options into one plan. An immutable value: {@link #parse} reads option strings, {@link
 * #builder()} builds one by name, {@link #toArgs()} prints it back as options.
 *
 * <p>Options that need the server's help ({@code --delay}, {@code --rate}, {@code --block-size},
 * {@code --disconnect-after}) are not here yet; each will be one more component, one more builder
 * method and one more case in {@link #parse}, so existing callers keep compiling.
 *
 * @param errors the {@code --error} rules in option order; the first rule that fails a request
 *     chooses its errno
 * @param corruptReads {@code --corrupt-reads}: probability that a data block reads with one bit
 *     flipped
 * @param faultSeed {@code --fault-seed}; empty means the disk's seed
 * @param masked the {@code --no-*} switches given
 */
public record FaultPlan(
        List<ErrorRule> errors,
        FaultRate corruptReads,
        OptionalLong faultSeed,
        Set<MaskedFeature> masked) {
    private static final FaultPlan NONE = builder().build();

    public FaultPlan {
        errors = List.copyOf(errors);
        masked = masked.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(masked));
    }

    /** No faults at all. */
    public static FaultPlan none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when this plan changes nothing, so the device need not be decorated. */
    public boolean isEmpty() {
        return errors.isEmpty() && corruptReads.isZero() && masked.isEmpty();
    }

    /** The seed of every fault decision: {@code --fault-seed}, or else the disk's seed. */
    public long seed(long diskSeed) {
        return faultSeed.orElse(diskSeed);
    }

    public boolean isMasked(MaskedFeature feature) {
        return masked.contains(feature);
    }

    /**
     * Parses fault options, each either {@code --name value}, {@code --name=value} or a bare {@code
     * --no-*} switch. {@code --error} may repeat; the others may be given once.
     *
     * @throws IllegalArgumentException naming the bad option or value, in one line
     */
    public static FaultPlan parse(List<String> args) {
        Builder b = builder();
        boolean corruptSeen = false;
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
            if (!name.equals("--error")
                    && !name.equals("--corrupt-reads")
                    && !name.equals("--fault-seed")) {
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
            switch (name) {
                case "--error" -> b.error(ErrorRule.parse(value));
                case "--corrupt-reads" -> {
                    if (corruptSeen) {
                        throw new IllegalArgumentException("--corrupt-reads given twice");
                    }
                    corruptSeen = true;
                    try {
                        b.corruptReads(FaultRate.parse(value));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--corrupt-reads: " + e.getMessage());
                    }
                }
                default -> {
                    if (b.faultSeed.isPresent()) {
                        throw new IllegalArgumentException("--fault-seed given twice");
                    }
                    b.faultSeed(parseSeed(value));
                }
            }
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

        private Builder() {}

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

        public FaultPlan build() {
            return new FaultPlan(errors, corruptReads, faultSeed, masked);
        }
    }
}
