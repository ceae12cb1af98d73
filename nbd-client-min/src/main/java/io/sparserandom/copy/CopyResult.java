package io.sparserandom.copy;

import java.time.Duration;

/**
 * What a finished copy did. {@code bytesZeroed} includes ranges skipped because the target is zero.
 */
public record CopyResult(long size, long bytesCopied, long bytesZeroed, Duration elapsed) {
    /** Disk size over elapsed time, in MB/s (10^6 bytes), as nbdcopy-style benchmarks count it. */
    public double megabytesPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : size / 1e6 / s;
    }

    public String summary() {
        return String.format(
                "copied %d bytes, zeroed %d bytes, %d total in %.3f s (%.1f MB/s)",
                bytesCopied, bytesZeroed, size, elapsed.toNanos() / 1e9, megabytesPerSecond());
    }
}
