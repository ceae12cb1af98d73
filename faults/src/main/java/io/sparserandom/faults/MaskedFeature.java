package io.sparserandom.faults;

import io.sparserandom.device.Capabilities;

/** A capability a {@code --no-*} switch stops advertising. */
public enum MaskedFeature {
    EXTENTS("--no-extents"),
    MULTI_CONN("--no-multi-conn"),
    ZERO("--no-zero"),
    FAST_ZERO("--no-fast-zero"),
    TRIM("--no-trim"),
    FUA("--no-fua"),
    FLUSH("--no-flush"),
    CACHE("--no-cache");

    private final String option;

    MaskedFeature(String option) {
        this.option = option;
    }

    /** The switch, e.g. {@code --no-extents}. */
    public String option() {
        return option;
    }

    static MaskedFeature byOption(String option) {
        for (MaskedFeature f : values()) {
            if (f.option.equals(option)) {
                return f;
            }
        }
        return null;
    }

    /** {@code c} with this feature turned off. */
    Capabilities turnOff(Capabilities c) {
        return switch (this) {
            case EXTENTS -> c.withExtents(false);
            case MULTI_CONN -> c.withMultiConn(false);
            // Without write-zeroes there is no fast zero either.
            case ZERO -> c.withZero(false).withFastZero(false);
            case FAST_ZERO -> c.withFastZero(false);
            case TRIM -> c.withTrim(false);
            case FUA -> c.withFua(false);
            case FLUSH -> c.withFlush(false);
            case CACHE -> c.withCache(false);
        };
    }
}
