package io.sparserandom.reports;

import java.util.List;
import java.util.Map;

/**
 * What a tool asked of the server during one run: the NBD commands it sent and their sizes.
 *
 * @param tool tool name
 * @param commandCounts requests per NBD command name (READ, WRITE, WRITE_ZEROES, TRIM, FLUSH,
 *     BLOCK_STATUS, CACHE)
 * @param requestSizes histogram of request lengths in power-of-two buckets, ascending
 * @param bytesRead bytes returned by READ
 * @param bytesWritten bytes received by WRITE
 * @param bytesZeroed bytes covered by WRITE_ZEROES
 * @param bytesTrimmed bytes covered by TRIM
 * @param connections NBD connections opened
 * @param maxInFlight most requests in flight at once (over all connections)
 * @param usedBlockStatus true if the tool asked for block status (base:allocation)
 */
public record ToolProfile(
        String tool,
        Map<String, Long> commandCounts,
        List<Bucket> requestSizes,
        long bytesRead,
        long bytesWritten,
        long bytesZeroed,
        long bytesTrimmed,
        long connections,
        long maxInFlight,
        boolean usedBlockStatus) {

    public ToolProfile {
        commandCounts = commandCounts == null ? Map.of() : Map.copyOf(commandCounts);
        requestSizes = requestSizes == null ? List.of() : List.copyOf(requestSizes);
    }

    /**
     * One histogram bucket: {@code count} requests with a length in (upperBytes/2, upperBytes] (the
     * first bucket also holds everything smaller).
     */
    public record Bucket(long upperBytes, long count) {}

    /**
     * The bucket a request length falls into: the smallest power of two not below {@code length}.
     */
    public static long bucketFor(long length) {
        if (length <= 1) {
            return 1;
        }
        long high = Long.highestOneBit(length);
        return high == length ? length : high << 1;
    }
}
