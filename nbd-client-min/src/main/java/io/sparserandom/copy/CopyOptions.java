package io.sparserandom.copy;

/**
 * What the user asked for, before anything is opened. {@code connections} null means "default": 4
 * when both ends allow multi-conn, else 1.
 */
public record CopyOptions(
        String source,
        String target,
        Integer connections,
        int requests,
        int requestSize,
        boolean extents,
        boolean targetIsZero,
        boolean flush,
        boolean progress) {
    public static final int DEFAULT_CONNECTIONS = 4;
    public static final int DEFAULT_REQUESTS = 32;
    public static final int DEFAULT_REQUEST_SIZE = 256 * 1024;

    public CopyOptions {
        if (source == null || target == null) {
            throw new IllegalArgumentException("source and target are required");
        }
        if (connections != null && (connections < 1 || connections > 64)) {
            throw new IllegalArgumentException(
                    "--connections must be between 1 and 64, got " + connections);
        }
        if (requests < 1 || requests > 1024) {
            throw new IllegalArgumentException(
                    "--requests must be between 1 and 1024, got " + requests);
        }
        if (requestSize < 512 || requestSize > (32 << 20) || Integer.bitCount(requestSize) != 1) {
            throw new IllegalArgumentException(
                    "--request-size must be a power of 2 between 512 and 32M, got " + requestSize);
        }
    }

    public static CopyOptions defaults(String source, String target) {
        return new CopyOptions(
                source,
                target,
                null,
                DEFAULT_REQUESTS,
                DEFAULT_REQUEST_SIZE,
                true,
                false,
                false,
                false);
    }
}
