package io.sparserandom.client;

import io.sparserandom.protocol.NbdMagic;

/** One block status descriptor: {@code length} bytes with base:allocation {@code flags}. */
public record Extent(long length, int flags) {
    public boolean hole() {
        return (flags & NbdMagic.STATE_HOLE) != 0;
    }

    /** Reads as zeroes (whether or not it is allocated). */
    public boolean zero() {
        return (flags & NbdMagic.STATE_ZERO) != 0;
    }
}
