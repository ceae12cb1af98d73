package io.sparserandom.device;

/**
 * What a device can do; turned into transmission flags by the server. An immutable value, built by
 * name ({@link #all()}, {@link #none()}, {@link #builder()}) and changed with withers, so a
 * decorator that turns one feature off says which.
 *
 * @param writable false makes the export read-only (write, zero and trim answer EPERM)
 * @param flush flush is meaningful
 * @param fua FUA is honoured
 * @param trim trim is supported
 * @param zero write-zeroes is supported natively
 * @param fastZero zero with FAST_ZERO can answer quickly or fail with ENOTSUP
 * @param cache cache is supported
 * @param multiConn every connection sees the same data, so clients may open several
 * @param extents extents give a real map (otherwise the server reports everything as data)
 */
public record Capabilities(
        boolean writable,
        boolean flush,
        boolean fua,
        boolean trim,
        boolean zero,
        boolean fastZero,
        boolean cache,
        boolean multiConn,
        boolean extents) {

    private static final Capabilities ALL = new Builder().all(true).build();
    private static final Capabilities NONE = new Builder().all(false).build();

    /** Everything on. */
    public static Capabilities all() {
        return ALL;
    }

    /** Everything off: a read-only device without flush, extents or multi-conn. */
    public static Capabilities none() {
        return NONE;
    }

    /** A builder starting from everything off. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this value. */
    public Builder toBuilder() {
        return new Builder()
                .writable(writable)
                .flush(flush)
                .fua(fua)
                .trim(trim)
                .zero(zero)
                .fastZero(fastZero)
                .cache(cache)
                .multiConn(multiConn)
                .extents(extents);
    }

    public Capabilities withWritable(boolean v) {
        return toBuilder().writable(v).build();
    }

    public Capabilities withFlush(boolean v) {
        return toBuilder().flush(v).build();
    }

    public Capabilities withFua(boolean v) {
        return toBuilder().fua(v).build();
    }

    public Capabilities withTrim(boolean v) {
        return toBuilder().trim(v).build();
    }

    public Capabilities withZero(boolean v) {
        return toBuilder().zero(v).build();
    }

    public Capabilities withFastZero(boolean v) {
        return toBuilder().fastZero(v).build();
    }

    public Capabilities withCache(boolean v) {
        return toBuilder().cache(v).build();
    }

    public Capabilities withMultiConn(boolean v) {
        return toBuilder().multiConn(v).build();
    }

    public Capabilities withExtents(boolean v) {
        return toBuilder().extents(v).build();
    }

    /** Named construction; every feature starts off. */
    public static final class Builder {
        private boolean writable;
        private boolean flush;
        private boolean fua;
        private boolean trim;
        private boolean zero;
        private boolean fastZero;
        private boolean cache;
        private boolean multiConn;
        private boolean extents;

        private Builder() {}

        Builder all(boolean v) {
            writable = flush = fua = trim = zero = fastZero = cache = multiConn = extents = v;
            return this;
        }

        public Builder writable(boolean v) {
            writable = v;
            return this;
        }

        public Builder flush(boolean v) {
            flush = v;
            return this;
        }

        public Builder fua(boolean v) {
            fua = v;
            return this;
        }

        public Builder trim(boolean v) {
            trim = v;
            return this;
        }

        public Builder zero(boolean v) {
            zero = v;
            return this;
        }

        public Builder fastZero(boolean v) {
            fastZero = v;
            return this;
        }

        public Builder cache(boolean v) {
            cache = v;
            return this;
        }

        public Builder multiConn(boolean v) {
            multiConn = v;
            return this;
        }

        public Builder extents(boolean v) {
            extents = v;
            return this;
        }

        public Capabilities build() {
            return new Capabilities(
                    writable, flush, fua, trim, zero, fastZero, cache, multiConn, extents);
        }
    }
}
