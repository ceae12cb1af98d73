package io.sparserandom.faults;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.ExpectedContent;
import io.sparserandom.device.ForwardingDevice;
import java.util.List;

/**
 * A decorator that fails requests with an errno, in the manner of nbdkit's error filter, but
 * decided by {@link FaultHash} from (fault seed, rule, command, offset, length, attempt) instead of
 * a random number generator: a rerun fails the same requests whatever the client's concurrency. A
 * failed request never reaches the wrapped device. Injected errors are counted per command in
 * {@link FaultCounters}.
 *
 * <p>The rules are tried in order and the first that fails a request chooses the errno; each rule
 * hashes with its own salt, so two rules on one command fail independent sets. Only the first
 * attempt can fail under a {@code once} rule; {@link RetryMemory} recognises the retry.
 *
 * <p>A flush has no range and hashes as offset 0, length 0, so every flush is the same request:
 * under a given seed a flush rule fails all flushes or none ({@code flush:1} fails every flush;
 * with {@code once}, every other one). Telling flushes apart would need their arrival order.
 *
 * <p>A block-status rule fails {@link #extents} only: the map the server asks for to send a read's
 * holes ({@link #readMap}) is part of the read and passes.
 *
 * <p>One instance may serve every connection; {@link FaultInjection} shares one retry memory among
 * per-connection instances, so a retry on another connection is still a retry. The content is
 * unchanged, so when the wrapped device offers {@link ExpectedContent} the decorator does too (see
 * {@link #wrap}); those comparisons are never failed.
 */
public class ErrorInjectingDevice extends ForwardingDevice {
    private final List<ErrorRule> rules;
    private final long seed;
    private final FaultCounters counters;
    private final RetryMemory retries;
    private final boolean anyOnce;

    private ErrorInjectingDevice(
            BlockDevice next,
            List<ErrorRule> rules,
            long seed,
            FaultCounters counters,
            RetryMemory retries) {
        super(next);
        this.rules = List.copyOf(rules);
        this.seed = seed;
        this.counters = counters;
        this.retries = retries;
        this.anyOnce = rules.stream().anyMatch(ErrorRule::once);
    }

    /**
     * Decorates {@code next}; the result implements {@link ExpectedContent} exactly when {@code
     * next} does.
     */
    public static ErrorInjectingDevice wrap(
            BlockDevice next, List<ErrorRule> rules, long seed, FaultCounters counters) {
        return wrap(next, rules, seed, counters, RetryMemory.DEFAULT_CAPACITY);
    }

    /**
     * As {@link #wrap(BlockDevice, List, long, FaultCounters)} with a retry memory of {@code
     * retrySlots} slots.
     */
    public static ErrorInjectingDevice wrap(
            BlockDevice next,
            List<ErrorRule> rules,
            long seed,
            FaultCounters counters,
            int retrySlots) {
        return wrap(next, rules, seed, counters, new RetryMemory(retrySlots));
    }

    /** With a retry memory shared by the decorators of several connections. */
    static ErrorInjectingDevice wrap(
            BlockDevice next,
            List<ErrorRule> rules,
            long seed,
            FaultCounters counters,
            RetryMemory retries) {
        return next instanceof ExpectedContent e
                ? new WithExpected(next, e, rules, seed, counters, retries)
                : new ErrorInjectingDevice(next, rules, seed, counters, retries);
    }

    /**
     * The pure decision: the rule that fails this attempt of the request, or null. Attempt 0 is the
     * first; under a {@code once} rule only attempt 0 can fail. Exposed for tests and for reports
     * that list which requests a seed fails.
     */
    public ErrorRule decide(FaultCommand command, long offset, long length, int attempt) {
        for (int i = 0; i < rules.size(); i++) {
            ErrorRule r = rules.get(i);
            if (!r.targets(command) || (r.once() && attempt > 0)) {
                continue;
            }
            // A non-once rule ignores the attempt: a failing request fails every time.
            long h = FaultHash.request(seed, i, command, offset, length, r.once() ? attempt : 0);
            if (r.rate().hit(h)) {
                return r;
            }
        }
        return null;
    }

    private void check(FaultCommand command, long offset, long length) throws DeviceException {
        long key = anyOnce ? FaultHash.requestKey(command, offset, length) : 0;
        int attempt = anyOnce && retries.takeRetry(key) ? 1 : 0;
        ErrorRule r = decide(command, offset, length, attempt);
        if (r == null) {
            return;
        }
        if (r.once() && !retries.remember(key)) {
            counters.recordOnceNotRemembered();
            return;
        }
        counters.recordInjected(command);
        if (command == FaultCommand.FLUSH) {
            throw new DeviceException(r.errno(), "injected " + r.errno() + " (--error " + r + ")");
        }
        throw new DeviceException(
                r.errno(),
                "injected "
                        + r.errno()
                        + " (--error "
                        + r
                        + ") at offset "
                        + offset
                        + " length "
                        + length,
                offset);
    }

    @Override
    public void read(long offset, int length, ByteBuf dst) throws DeviceException {
        check(FaultCommand.READ, offset, length);
        next.read(offset, length, dst);
    }

    @Override
    public ByteBuf readBuffer(long offset, int length, ByteBufAllocator alloc)
            throws DeviceException {
        check(FaultCommand.READ, offset, length);
        return next.readBuffer(offset, length, alloc);
    }

    @Override
    public void write(long offset, ByteBuf data, int flags) throws DeviceException {
        check(FaultCommand.WRITE, offset, data.readableBytes());
        next.write(offset, data, flags);
    }

    @Override
    public void zero(long offset, long length, int flags) throws DeviceException {
        check(FaultCommand.ZERO, offset, length);
        next.zero(offset, length, flags);
    }

    @Override
    public void trim(long offset, long length, int flags) throws DeviceException {
        check(FaultCommand.TRIM, offset, length);
        next.trim(offset, length, flags);
    }

    @Override
    public void flush(int flags) throws DeviceException {
        check(FaultCommand.FLUSH, 0, 0);
        next.flush(flags);
    }

    @Override
    public void cache(long offset, long length, int flags) throws DeviceException {
        check(FaultCommand.CACHE, offset, length);
        next.cache(offset, length, flags);
    }

    @Override
    public void extents(long offset, long length, ExtentSink sink) throws DeviceException {
        check(FaultCommand.BLOCK_STATUS, offset, length);
        next.extents(offset, length, sink);
    }

    /** The variant for a wrapped device with a fast content check: passed through untouched. */
    private static final class WithExpected extends ErrorInjectingDevice
            implements ExpectedContent {
        private final ExpectedContent expected;

        WithExpected(
                BlockDevice next,
                ExpectedContent expected,
                List<ErrorRule> rules,
                long seed,
                FaultCounters counters,
                RetryMemory retries) {
            super(next, rules, seed, counters, retries);
            this.expected = expected;
        }

        @Override
        public long mismatch(long offset, ByteBuf data) {
            return expected.mismatch(offset, data);
        }

        @Override
        public String describeExpected(long offset, int length) {
            return expected.describeExpected(offset, length);
        }
    }
}
