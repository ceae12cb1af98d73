package io.sparserandom.verifier;

import java.util.Locale;

/**
 * One rejected request, as kept in full for the verdict.
 *
 * @param command WRITE, WRITE_ZEROES or TRIM
 * @param connection id of the connection that sent it
 * @param requestOffset where the request started
 * @param length its length
 * @param offset the first byte that was wrong
 * @param expected what the disk holds there, summarised
 * @param actual what the request would have put there, summarised
 */
public record Mismatch(
        String command,
        long connection,
        long requestOffset,
        long length,
        long offset,
        String expected,
        String actual) {

    /** The one-line message sent to the client and logged. */
    public String message() {
        String what =
                command.equals("WRITE")
                        ? "data mismatch"
                        : command.toLowerCase(Locale.ROOT).replace('_', ' ')
                                + " over non-zero data";
        return what
                + " at offset 0x"
                + Long.toHexString(offset)
                + ": expected "
                + expected
                + ", got "
                + actual;
    }
}
