package io.sparserandom.faults;

import io.sparserandom.device.BlockDevice;

/**
 * The faults of one server run: a {@link FaultPlan} resolved against the disk's seed, with the
 * state every connection shares (the {@link FaultCounters} and the retry memory of {@code once}
 * rules). {@link #decorate} stacks the decorators the plan asks for, outermost first:
 *
 * <pre>
 *   CapabilityMaskDevice      what the handshake advertises
 *     ErrorInjectingDevice    fails requests before they reach anything below
 *       CorruptingReadDevice  lies about the content read
 *         device              normally the verifier's device, wrapping the true disk
 * </pre>
 *
 * The faults sit outside the verifier: an injected error never reaches it (so it is never counted
 * as a rejected write), and a corrupted block written back is checked against the true content.
 * Layers the plan does not need are left out, so an empty plan returns the device itself.
 */
public final class FaultInjection {
    private final FaultPlan plan;
    private final long seed;
    private final FaultCounters counters = new FaultCounters();
    // Its 512 KiB table only when there are errors to inject: zeroing it was 1 % of a start-up.
    private final RetryMemory retries;

    /**
     * @param diskSeed the seed used when the plan has no {@code --fault-seed}
     */
    public FaultInjection(FaultPlan plan, long diskSeed) {
        this.plan = plan;
        this.seed = plan.seed(diskSeed);
        this.retries =
                plan.errors().isEmpty() ? null : new RetryMemory(RetryMemory.DEFAULT_CAPACITY);
    }

    public FaultPlan plan() {
        return plan;
    }

    /** The seed every decision uses. */
    public long seed() {
        return seed;
    }

    public FaultCounters counters() {
        return counters;
    }

    /**
     * Wraps {@code device} (for example one connection's verifying device) in the plan's faults.
     */
    public BlockDevice decorate(BlockDevice device) {
        BlockDevice d = device;
        if (!plan.corruptReads().isZero()) {
            d = new CorruptingReadDevice(d, plan.corruptReads(), seed, counters);
        }
        if (!plan.errors().isEmpty()) {
            d = ErrorInjectingDevice.wrap(d, plan.errors(), seed, counters, retries);
        }
        if (!plan.masked().isEmpty()) {
            d = CapabilityMaskDevice.wrap(d, plan.masked());
        }
        return d;
    }
}
