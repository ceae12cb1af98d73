package io.sparserandom.faults;

import io.sparserandom.device.Errno;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One {@code --error OPS:RATE[:ERRNO][:once]}: requests of the listed commands fail with {@code
 * errno} with probability {@code rate}.
 *
 * <p>Without {@code once} the decision ignores the attempt, so a failing request fails every time
 * it is sent (a bad sector). With {@code once} only the first attempt can fail and a retry of the
 * same (command, offset, length) succeeds; see {@link RetryMemory} for how retries are recognised.
 *
 * @param commands the targeted commands, never empty
 */
public record ErrorRule(Set<FaultCommand> commands, FaultRate rate, Errno errno, boolean once) {
    public ErrorRule {
        if (commands.isEmpty()) {
            throw new IllegalArgumentException("an error rule needs at least one command");
        }
        commands = Collections.unmodifiableSet(EnumSet.copyOf(commands));
    }

    /** Parses the value of one {@code --error} option. */
    public static ErrorRule parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length < 2 || parts.length > 4) {
            throw new IllegalArgumentException(
                    "bad --error '" + text + "' (expected OPS:RATE[:ERRNO][:once])");
        }
        Set<FaultCommand> commands = FaultCommand.parseList("--error '" + text + "'", parts[0]);
        FaultRate rate;
        try {
            rate = FaultRate.parse(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--error '" + text + "': " + e.getMessage());
        }
        Errno errno = Errno.EIO;
        boolean once = false;
        if (parts.length >= 3) {
            boolean lastIsOnce = parts[parts.length - 1].equalsIgnoreCase("once");
            if (parts.length == 4 && !lastIsOnce) {
                throw new IllegalArgumentException(
                        "--error '"
                                + text
                                + "': unknown suffix '"
                                + parts[3]
                                + "' (expected once)");
            }
            once = lastIsOnce;
            if (parts.length == 4 || !lastIsOnce) {
                errno = parseErrno(text, parts[2]);
            }
        }
        return new ErrorRule(commands, rate, errno, once);
    }

    private static Errno parseErrno(String text, String name) {
        try {
            return Errno.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--error '"
                            + text
                            + "': unknown errno '"
                            + name
                            + "' (expected one of "
                            + EnumSet.allOf(Errno.class).stream()
                                    .map(Enum::name)
                                    .collect(Collectors.joining(" "))
                            + ")");
        }
    }

    public boolean targets(FaultCommand command) {
        return commands.contains(command);
    }

    /** The option value, e.g. {@code read,write:0.01:ENOSPC:once}; parses back to an equal rule. */
    @Override
    public String toString() {
        String ops =
                commands.size() == FaultCommand.values().length
                        ? "all"
                        : commands.stream()
                                .map(FaultCommand::optionName)
                                .collect(Collectors.joining(","));
        return ops + ":" + rate + ":" + errno + (once ? ":once" : "");
    }
}
