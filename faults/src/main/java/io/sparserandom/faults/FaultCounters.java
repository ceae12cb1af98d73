package io.sparserandom.faults;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the fault decorators did, for the verdict ({@code injected_errors} per command). Shared by
 * every connection of a server run; updated without locks.
 */
public final class FaultCounters {
    /** Filled in the constructor and never changed, so reading it needs no lock. */
    private final Map<FaultCommand, LongAdder> injected = new EnumMap<>(FaultCommand.class);

    private final LongAdder flippedBits = new LongAdder();
    private final LongAdder onceNotRemembered = new LongAdder();

    public FaultCounters() {
        for (FaultCommand c : FaultCommand.values()) {
            injected.put(c, new LongAdder());
        }
    }

    void recordInjected(FaultCommand command) {
        injected.get(command).increment();
    }

    void recordFlipped() {
        flippedBits.increment();
    }

    void recordOnceNotRemembered() {
        onceNotRemembered.increment();
    }

    /** Errors injected into requests of {@code command}. */
    public long injected(FaultCommand command) {
        return injected.get(command).sum();
    }

    /** Errors injected per command, commands with none left out, in command order. */
    public Map<FaultCommand, Long> injectedByCommand() {
        Map<FaultCommand, Long> out = new EnumMap<>(FaultCommand.class);
        for (FaultCommand c : FaultCommand.values()) {
            long n = injected.get(c).sum();
            if (n > 0) {
                out.put(c, n);
            }
        }
        return out;
    }

    public long injectedTotal() {
        long n = 0;
        for (LongAdder a : injected.values()) {
            n += a.sum();
        }
        return n;
    }

    /** Bits flipped in the reads returned; a corrupted block read twice counts twice. */
    public long flippedBits() {
        return flippedBits.sum();
    }

    /**
     * {@code once} faults not injected because the retry memory was full; non-zero means the
     * failing set depended on arrival order this run.
     */
    public long onceNotRemembered() {
        return onceNotRemembered.sum();
    }
}
