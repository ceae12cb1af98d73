package io.sparserandom.server;

/**
 * What a device can do; turned into transmission flags by the server. An immutable value.
 *
 * @param writable   false makes the export read-only (write, zero and trim answer EPERM)
 * @param flush      flush is meaningful
 * @param fua        FUA is honoured
 * @param trim       trim is supported
 * @param zero       write-zeroes is supported natively
 * @param fastZero   zero with FAST_ZERO can answer quickly or fail with ENOTSUP
 * @param cache      cache is supported
 * @param multiConn  every connection sees the same data, so clients may open several
 * @param extents    extents give a real map (otherwise the server reports everything as data)
 */
public record Capabilities(boolean writable, boolean flush, boolean fua, boolean trim, boolean zero,
                           boolean fastZero, boolean cache, boolean multiConn, boolean extents) {

    /** Everything on. */
    public static Capabilities all() {
        return new Capabilities(true, true, true, true, true, true, true, true, true);
    }

    public Capabilities withWritable(boolean w) {
        return new Capabilities(w, flush, fua, trim, zero, fastZero, cache, multiConn, extents);
    }
}
