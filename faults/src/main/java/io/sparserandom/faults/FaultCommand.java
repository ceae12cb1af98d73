package io.sparserandom.faults;

import java.util.Locale;

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
}
