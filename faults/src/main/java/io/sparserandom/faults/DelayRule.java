package io.sparserandom.faults;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One {@code --delay OPS:DURATION}: every request of the listed commands waits {@code delay} before
 * it is answered. The server applies it (it holds the request, not a thread).
 *
 * @param commands the delayed commands, never empty
 */
public record DelayRule(Set<FaultCommand> commands, Duration delay) {
    public DelayRule {
        if (commands.isEmpty()) {
            throw new IllegalArgumentException("a delay rule needs at least one command");
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        commands = Collections.unmodifiableSet(EnumSet.copyOf(commands));
    }

    /** Parses the value of one {@code --delay} option. */
    public static DelayRule parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(
                    "bad --delay '" + text + "' (expected OPS:DURATION, like read,write:2ms)");
        }
        Set<FaultCommand> commands =
                FaultCommand.parseList("--delay '" + text + "'", text.substring(0, colon));
        return new DelayRule(
                commands,
                FaultValues.parseDuration("--delay '" + text + "'", text.substring(colon + 1)));
    }

    /** The option value, e.g. {@code read,write:2ms}; parses back to an equal rule. */
    @Override
    public String toString() {
        String ops =
                commands.size() == FaultCommand.values().length
                        ? "all"
                        : commands.stream()
                                .map(FaultCommand::optionName)
                                .collect(Collectors.joining(","));
        return ops + ":" + format(delay.toNanos());
    }

    /** The largest unit that shows the delay exactly: {@code 2ms}, {@code 1500us}. */
    private static String format(long nanos) {
        if (nanos != 0 && nanos % 1_000_000_000 == 0) {
            return nanos / 1_000_000_000 + "s";
        }
        if (nanos != 0 && nanos % 1_000_000 == 0) {
            return nanos / 1_000_000 + "ms";
        }
        return nanos % 1000 == 0 ? nanos / 1000 + "us" : nanos + "ns";
    }
}
