package io.sparserandom.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdErrno;
import io.sparserandom.server.ConnectionInfo;
import io.sparserandom.server.ServerListener;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a copy tool did to the server, as Micrometer meters: commands and their counts, the
 * request-size distribution, bytes read / written / zeroed / trimmed, connections opened, the most
 * requests seen in flight, and whether block status was used. This is what tells a user why one
 * tool is faster than another. Counted as the server sees requests (not as devices are called), so
 * internal calls never count; recording is a few atomic adds per request.
 */
public final class ServerMetrics implements ServerListener {
    /** Request-size histogram buckets: powers of two from 512 bytes to 64 MiB (and above). */
    public static final double[] SIZE_BUCKETS;

    static {
        SIZE_BUCKETS = new double[18];
        for (int i = 0; i < SIZE_BUCKETS.length; i++) {
            SIZE_BUCKETS[i] = 512L << i;
        }
    }

    private final MeterRegistry registry;
    private final Map<NbdCommand, Counter> commands = new EnumMap<>(NbdCommand.class);
    private final Map<NbdCommand, DistributionSummary> sizes = new EnumMap<>(NbdCommand.class);
    private final Counter bytesRead;
    private final Counter bytesWritten;
    private final Counter bytesZeroed;
    private final Counter bytesTrimmed;
    private final Counter connections;
    private final Counter errors;
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong maxInFlight = new AtomicLong();

    public ServerMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (NbdCommand c : NbdCommand.values()) {
            commands.put(
                    c,
                    Counter.builder("nbd.requests")
                            .tag("command", c.name())
                            .description("NBD requests received")
                            .register(registry));
            sizes.put(
                    c,
                    DistributionSummary.builder("nbd.request.size")
                            .tag("command", c.name())
                            .baseUnit("bytes")
                            .serviceLevelObjectives(SIZE_BUCKETS)
                            .description("NBD request lengths")
                            .register(registry));
        }
        bytesRead =
                Counter.builder("nbd.bytes").tag("op", "read").baseUnit("bytes").register(registry);
        bytesWritten =
                Counter.builder("nbd.bytes")
                        .tag("op", "written")
                        .baseUnit("bytes")
                        .register(registry);
        bytesZeroed =
                Counter.builder("nbd.bytes")
                        .tag("op", "zeroed")
                        .baseUnit("bytes")
                        .register(registry);
        bytesTrimmed =
                Counter.builder("nbd.bytes")
                        .tag("op", "trimmed")
                        .baseUnit("bytes")
                        .register(registry);
        connections =
                Counter.builder("nbd.connections")
                        .description("connections opened")
                        .register(registry);
        errors =
                Counter.builder("nbd.errors")
                        .description("requests answered with an error")
                        .register(registry);
        Gauge.builder("nbd.requests.in.flight.max", maxInFlight, AtomicLong::get)
                .description("most requests seen in flight at once, over all connections")
                .register(registry);
        Gauge.builder("nbd.requests.in.flight", inFlight, AtomicLong::get).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    private void request(NbdCommand command, long length) {
        commands.get(command).increment();
        sizes.get(command).record(length);
        switch (command) {
            case READ -> bytesRead.increment(length);
            case WRITE -> bytesWritten.increment(length);
            case WRITE_ZEROES -> bytesZeroed.increment(length);
            case TRIM -> bytesTrimmed.increment(length);
            default -> {}
        }
    }

    @Override
    public void connectionOpened(ConnectionInfo c) {
        connections.increment();
    }

    @Override
    public void requestStarted(ConnectionInfo c, NbdCommand command, long offset, long length) {
        request(command, length);
        long now = inFlight.incrementAndGet();
        if (now
                > maxInFlight
                        .get()) { // read first: the shared line is written only for a new maximum
            maxInFlight.accumulateAndGet(now, Math::max);
        }
    }

    @Override
    public void requestFinished(ConnectionInfo c, NbdCommand command) {
        inFlight.decrementAndGet();
    }

    @Override
    public void requestFailed(
            ConnectionInfo c,
            NbdCommand cmd,
            long offset,
            long length,
            NbdErrno errno,
            String message) {
        errors.increment();
    }

    public long count(NbdCommand c) {
        return (long) commands.get(c).count();
    }

    public DistributionSummary sizes(NbdCommand c) {
        return sizes.get(c);
    }

    public long bytesRead() {
        return (long) bytesRead.count();
    }

    public long bytesWritten() {
        return (long) bytesWritten.count();
    }

    public long bytesZeroed() {
        return (long) bytesZeroed.count();
    }

    public long bytesTrimmed() {
        return (long) bytesTrimmed.count();
    }

    public long connections() {
        return (long) connections.count();
    }

    public long maxInFlight() {
        return maxInFlight.get();
    }

    public long errors() {
        return (long) errors.count();
    }
}
