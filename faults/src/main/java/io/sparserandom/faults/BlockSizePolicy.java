package io.sparserandom.faults;

import java.util.Locale;

/** {@code --block-size-policy}: what the server does with a request that breaks the limits. */
public enum BlockSizePolicy {
    /** Answer EINVAL and keep the connection (nbdkit's blocksize-error-policy=error). */
    ERROR,
    /** Drop the connection, as qemu-nbd does for a write over 32M. */
    DISCONNECT;

    public static BlockSizePolicy parse(String text) {
        for (BlockSizePolicy p : values()) {
            if (p.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "--block-size-policy: '" + text + "' is not one of error, disconnect");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
