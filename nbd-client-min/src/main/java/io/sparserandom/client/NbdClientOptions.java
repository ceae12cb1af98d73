package io.sparserandom.client;

import java.time.Duration;

/**
 * How to connect.
 *
 * @param structuredReplies ask for NBD_OPT_STRUCTURED_REPLY (needed for holes in reads and for
 *     block status)
 * @param metaContext ask for the base:allocation meta context (block status)
 * @param connectTimeout limit on connecting plus the handshake
 * @param requestTimeout limit on each request; when one is exceeded the connection is closed and
 *     every pending request fails. Zero disables it.
 * @param maxInFlight requests on the wire at once; callers outside the I/O thread block beyond it
 * @param extendedHeaders ask for NBD_OPT_EXTENDED_HEADERS first (64-bit requests and block status);
 *     a server that refuses gets structured replies instead. Needs {@code structuredReplies}.
 */
public record NbdClientOptions(
        boolean structuredReplies,
        boolean metaContext,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxInFlight,
        boolean extendedHeaders) {
    public static final NbdClientOptions DEFAULTS =
            new NbdClientOptions(
                    true, true, Duration.ofSeconds(30), Duration.ofSeconds(120), 64, true);

    public NbdClientOptions {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, got " + maxInFlight);
        }
        if (connectTimeout == null || requestTimeout == null) {
            throw new IllegalArgumentException("timeouts must not be null");
        }
        if (metaContext && !structuredReplies) {
            metaContext = false; // block status replies are structured: no point asking
        }
        if (!structuredReplies) {
            extendedHeaders = false; // asking for simple replies means compact headers too
        }
    }

    public NbdClientOptions withStructuredReplies(boolean on) {
        return new NbdClientOptions(
                on,
                metaContext && on,
                connectTimeout,
                requestTimeout,
                maxInFlight,
                extendedHeaders && on);
    }

    public NbdClientOptions withMetaContext(boolean on) {
        return new NbdClientOptions(
                structuredReplies,
                on,
                connectTimeout,
                requestTimeout,
                maxInFlight,
                extendedHeaders);
    }

    public NbdClientOptions withRequestTimeout(Duration t) {
        return new NbdClientOptions(
                structuredReplies, metaContext, connectTimeout, t, maxInFlight, extendedHeaders);
    }

    public NbdClientOptions withMaxInFlight(int n) {
        return new NbdClientOptions(
                structuredReplies, metaContext, connectTimeout, requestTimeout, n, extendedHeaders);
    }

    public NbdClientOptions withExtendedHeaders(boolean on) {
        return new NbdClientOptions(
                structuredReplies, metaContext, connectTimeout, requestTimeout, maxInFlight, on);
    }
}
