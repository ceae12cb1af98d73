package io.sparserandom.server;

import io.sparserandom.device.BlockSizes;
import io.sparserandom.protocol.NbdCommand;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Faults only the server can inject, because they concern time, the connection or the handshake
 * rather than a device operation: delayed replies, a rate cap, block size limits, a disconnect of
 * every connection, and hiding {@code base:allocation}. Device faults (errors, corrupt reads,
 * capability masks) are device decorators and never appear here. An immutable value, built by name.
 *
 * @param delays how long each command's reply waits, commands without a delay left out
 * @param rate data bytes (read and written) per second over all connections; 0 for no cap
 * @param blockSizes advertised in {@code NBD_INFO_BLOCK_SIZE}
 * @param enforcement what happens to a request that breaks {@code blockSizes}
 * @param disconnectAfter data bytes after which every open connection is dropped, once; 0 never
 * @param baseAllocation whether the {@code base:allocation} meta context is offered
 */
public record ServerFaults(
        Map<NbdCommand, Duration> delays,
        long rate,
        BlockSizes blockSizes,
        Enforcement enforcement,
        long disconnectAfter,
        boolean baseAllocation) {

    /** What the server does with a request outside the block size limits. */
    public enum Enforcement {
        /** Only the server's own 32M limit applies (EINVAL), as without any fault. */
        NONE,
        /** EINVAL, and the connection stays up. */
        ERROR,
        /** The connection is dropped, as qemu-nbd does for writes over 32M. */
        DISCONNECT
    }

    public static final ServerFaults NONE = builder().build();

    public ServerFaults {
        delays = delays.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(delays));
        Objects.requireNonNull(blockSizes, "blockSizes");
        Objects.requireNonNull(enforcement, "enforcement");
        if (rate < 0 || disconnectAfter < 0) {
            throw new IllegalArgumentException("negative rate or disconnect-after");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The delay of {@code command}'s replies, zero when none. */
    public Duration delay(NbdCommand command) {
        return delays.getOrDefault(command, Duration.ZERO);
    }

    /** True when requests must pass the per-connection fault handler (delay, rate, disconnect). */
    boolean needsHandler() {
        return !delays.isEmpty() || rate > 0 || disconnectAfter > 0;
    }

    /** Named construction, starting from no faults. */
    public static final class Builder {
        private final Map<NbdCommand, Duration> delays = new EnumMap<>(NbdCommand.class);
        private long rate;
        private BlockSizes blockSizes = BlockSizes.DEFAULT;
        private Enforcement enforcement = Enforcement.NONE;
        private long disconnectAfter;
        private boolean baseAllocation = true;

        private Builder() {}

        /** Adds {@code delay} to the replies of {@code command}. */
        public Builder delay(NbdCommand command, Duration delay) {
            if (!delay.isZero()) {
                delays.merge(command, delay, Duration::plus);
            }
            return this;
        }

        public Builder rate(long bytesPerSecond) {
            this.rate = bytesPerSecond;
            return this;
        }

        public Builder blockSizes(BlockSizes sizes, Enforcement enforcement) {
            this.blockSizes = sizes;
            this.enforcement = enforcement;
            return this;
        }

        public Builder disconnectAfter(long bytes) {
            this.disconnectAfter = bytes;
            return this;
        }

        public Builder hideBaseAllocation() {
            this.baseAllocation = false;
            return this;
        }

        public ServerFaults build() {
            return new ServerFaults(
                    delays, rate, blockSizes, enforcement, disconnectAfter, baseAllocation);
        }
    }
}
