package io.sparserandom.copy;

/**
 * Everything the engine will do, resolved from {@link CopyOptions} and what the two ends
 * negotiated, before any data moves. Printed by {@code copy --verbose}.
 */
public record CopyPlan(
        String source,
        String target,
        long size,
        int connections,
        int requestsPerConnection,
        int requestSize,
        long workRange,
        boolean extents,
        boolean targetIsZero,
        boolean flush,
        boolean progress,
        String notes) {
    /** Each worker takes ranges of this size in turn (as nbdcopy does). */
    public static final long DEFAULT_WORK_RANGE = 128L << 20;

    /** Bytes of requests in flight per connection: 32 requests of 256 KiB. */
    public static final long MAX_BYTES_IN_FLIGHT = 8L << 20;

    static CopyPlan resolve(CopyOptions o, CopyEndpoint src, CopyEndpoint dst) {
        StringBuilder notes = new StringBuilder();
        boolean multi = src.supportsMultiConn() && dst.supportsMultiConn();
        int connections;
        if (o.connections() == null) {
            connections = multi ? CopyOptions.DEFAULT_CONNECTIONS : 1;
        } else if (!multi && o.connections() > 1) {
            connections = 1;
            notes.append("multi-conn not advertised by ")
                    .append(src.supportsMultiConn() ? dst.describe() : src.describe())
                    .append(": using 1 connection. ");
        } else {
            connections = o.connections();
        }
        int requestSize =
                (int)
                        Math.min(
                                o.requestSize(),
                                Math.min(src.maxRequestLength(), dst.maxRequestLength()));
        if (requestSize != o.requestSize()) {
            notes.append("request size lowered to the servers' maximum. ");
        }
        // Read data waits in direct memory until it is written: bound it per connection, so that
        // big requests cannot run the copier out of its direct-memory cap (copier.options).
        int requests = (int) Math.max(1, Math.min(o.requests(), MAX_BYTES_IN_FLIGHT / requestSize));
        if (requests != o.requests()) {
            notes.append("requests per connection lowered to ")
                    .append(requests)
                    .append(" (at most ")
                    .append(MAX_BYTES_IN_FLIGHT >> 20)
                    .append(" MiB in flight per connection). ");
        }
        boolean extents = o.extents() && src.canExtents();
        if (o.extents() && !src.canExtents()) {
            notes.append("source cannot report extents: copying everything as data. ");
        }
        return new CopyPlan(
                src.describe(),
                dst.describe(),
                src.size(),
                connections,
                requests,
                requestSize,
                DEFAULT_WORK_RANGE,
                extents,
                o.targetIsZero(),
                o.flush(),
                o.progress(),
                notes.toString().trim());
    }

    @Override
    public String toString() {
        return "copy plan:\n"
                + "  source:         "
                + source
                + "\n"
                + "  target:         "
                + target
                + "\n"
                + "  size:           "
                + size
                + "\n"
                + "  connections:    "
                + connections
                + "\n"
                + "  requests/conn:  "
                + requestsPerConnection
                + "\n"
                + "  request size:   "
                + requestSize
                + "\n"
                + "  work range:     "
                + workRange
                + "\n"
                + "  extents:        "
                + extents
                + "\n"
                + "  target is zero: "
                + targetIsZero
                + "\n"
                + "  flush at end:   "
                + flush
                + "\n"
                + "  progress:       "
                + progress
                + (notes.isEmpty() ? "" : "\n  notes:          " + notes);
    }
}
