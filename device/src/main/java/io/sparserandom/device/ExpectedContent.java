package io.sparserandom.device;

import io.netty.buffer.ByteBuf;

/**
 * Optional fast path a device may offer to the verifier: compare written bytes with what the device
 * would read, without materialising the expected bytes. A device that does not implement this is
 * verified by reading it into a scratch buffer and comparing (like nbdkit's checkwrite).
 */
public interface ExpectedContent {
    /** Returned by {@link #mismatch} when every byte matches. */
    long MATCH = -1;

    /**
     * Compares the readable bytes of {@code data} (indexes unchanged) with the content at {@code
     * offset}.
     *
     * @return {@link #MATCH}, or the absolute disk offset of the first byte that differs
     */
    long mismatch(long offset, ByteBuf data);

    /**
     * A short human description of the expected bytes at {@code offset}, e.g. {@code 0x5a x4096}.
     */
    String describeExpected(long offset, int length);
}
