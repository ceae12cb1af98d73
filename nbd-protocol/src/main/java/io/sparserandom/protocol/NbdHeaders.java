package io.sparserandom.protocol;

/**
 * Which transmission headers a connection uses, as negotiated: the compact ones (28-byte requests,
 * simple or structured replies) or the 32-byte extended ones of NBD_OPT_EXTENDED_HEADERS, where
 * every length is 64 bits and every reply is an extended chunk.
 */
public enum NbdHeaders {
    COMPACT,
    EXTENDED;

    /** Size of one request header. */
    public int requestHeaderSize() {
        return this == EXTENDED
                ? NbdMagic.EXTENDED_REQUEST_HEADER_SIZE
                : NbdMagic.REQUEST_HEADER_SIZE;
    }
}
