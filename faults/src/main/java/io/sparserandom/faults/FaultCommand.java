package io.sparserandom.faults;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The device operations a fault can target, by the names the {@code --error} option uses. Each
 * carries a fixed code that enters the fault hash, so reordering this enum never changes which
 * requests fail.
 */
public enum FaultCommand {
    READ("read", 1),
    WRITE("write", 2),
    ZERO("zero", 3),
    TRIM("trim", 4),
    FLUSH("flush", 5),
    CACHE("cache", 6),
    BLOCK_STATUS("block-status", 7);

    private final String optionName;
    private final long code;

    FaultCommand(String optionName, long code) {
        this.optionName = optionName;
        this.code = code;
    }

    /** The name in {@code --error OPS:...}, e.g. {@code block-status}. */
    public String optionName() {
        return optionName;
    }

    /** The stable value hashed into fault decisions. */
    long code() {
        return code;
    }

    /** Looks a name up case-insensitively; null when unknown. */
    static FaultCommand byOptionName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (FaultCommand c : values()) {
            if (c.optionName.equals(n)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Parses OPS of {@code --error} and {@code --delay}: a comma list of command names or {@code
     * all}. {@code context} starts each error message, e.g. {@code --error 'read:1%'}.
     */
    static Set<FaultCommand> parseList(String context, String list) {
        EnumSet<FaultCommand> commands = EnumSet.noneOf(FaultCommand.class);
        for (String name : list.split(",", -1)) {
            if (name.equalsIgnoreCase("all")) {
                commands.addAll(EnumSet.allOf(FaultCommand.class));
                continue;
            }
            FaultCommand c = byOptionName(name);
            if (c == null) {
                throw new IllegalArgumentException(
                        context
                                + ": unknown command '"
                                + name
                                + "' (expected read, write, zero, trim, flush, cache, block-status or all)");
            }
            if (!commands.add(c)) {
                throw new IllegalArgumentException(
                        context + ": command '" + name + "' is listed twice");
            }
        }
        return commands;
    }
}
