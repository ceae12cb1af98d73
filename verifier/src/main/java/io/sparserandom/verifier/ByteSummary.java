package io.sparserandom.verifier;

import io.netty.buffer.ByteBuf;

/** Short human descriptions of byte ranges, for error messages. */
final class ByteSummary {
    private ByteSummary() {}

    private static final int BLOCK = 4096;
    private static final int SHOW = 8;

    /**
     * Describes {@code buf[index, index + length)}: {@code 0x5a x4096} when every byte is the same,
     * else the first bytes in hex followed by an ellipsis.
     */
    static String describe(ByteBuf buf, int index, int length) {
        if (length <= 0) {
            return "nothing";
        }
        byte first = buf.getByte(index);
        int same = 1;
        while (same < length && buf.getByte(index + same) == first) {
            same++;
        }
        if (same == length) {
            return String.format("0x%02x x%d", first & 0xff, length);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(SHOW, length); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", buf.getByte(index + i) & 0xff));
        }
        if (length > SHOW) {
            sb.append('\u2026');
        }
        return sb.toString();
    }

    /** From {@code offset} to the end of its 4 KiB block, bounded by {@code limit} bytes. */
    static int toBlockEnd(long offset, long limit) {
        long n = BLOCK - Math.floorMod(offset, (long) BLOCK);
        return (int) Math.min(n, limit);
    }
}
