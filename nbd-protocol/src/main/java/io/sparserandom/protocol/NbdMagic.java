package io.sparserandom.protocol;

/** Magic numbers and fixed sizes of the NBD wire format (nbd-proto.md, "Protocol phases"). */
public final class NbdMagic {
    private NbdMagic() {}

    /** "NBDMAGIC": first 8 bytes the server sends. */
    public static final long NBDMAGIC = 0x4e42444d41474943L;

    /** "IHAVEOPT": newstyle marker after NBDMAGIC, and the prefix of every option request. */
    public static final long IHAVEOPT = 0x49484156454f5054L;

    /** Magic of every option reply. */
    public static final long OPTION_REPLY_MAGIC = 0x0003e889045565a9L;

    /** Magic of a transmission request. */
    public static final int REQUEST_MAGIC = 0x25609513;

    /** Magic of a simple reply. */
    public static final int SIMPLE_REPLY_MAGIC = 0x67446698;

    /** Magic of a structured reply chunk. */
    public static final int STRUCTURED_REPLY_MAGIC = 0x668e33ef;

    /** Magic of a request once extended headers are negotiated (NBD_EXTENDED_REQUEST_MAGIC). */
    public static final int EXTENDED_REQUEST_MAGIC = 0x21e41c71;

    /** Magic of every reply chunk once extended headers are negotiated. */
    public static final int EXTENDED_REPLY_MAGIC = 0x6e8a278c;

    /** Extended request header: magic(4) flags(2) type(2) cookie(8) offset(8) length(8). */
    public static final int EXTENDED_REQUEST_HEADER_SIZE = 32;

    /** Extended reply chunk header: magic(4) flags(2) type(2) cookie(8) offset(8) length(8). */
    public static final int EXTENDED_REPLY_HEADER_SIZE = 32;

    /** Request header: magic(4) flags(2) type(2) cookie(8) offset(8) length(4). */
    public static final int REQUEST_HEADER_SIZE = 28;

    /** Simple reply header: magic(4) error(4) cookie(8). */
    public static final int SIMPLE_REPLY_HEADER_SIZE = 16;

    /** Structured reply chunk header: magic(4) flags(2) type(2) cookie(8) length(4). */
    public static final int STRUCTURED_REPLY_HEADER_SIZE = 20;

    /** Option request header: IHAVEOPT(8) option(4) length(4). */
    public static final int OPTION_HEADER_SIZE = 16;

    /** Option reply header: magic(8) option(4) type(4) length(4). */
    public static final int OPTION_REPLY_HEADER_SIZE = 20;

    /** Handshake flags (server, 16 bits). */
    public static final int FLAG_FIXED_NEWSTYLE = 1;

    public static final int FLAG_NO_ZEROES = 1 << 1;

    /** Client flags (32 bits). */
    public static final int CLIENT_FLAG_FIXED_NEWSTYLE = 1;

    public static final int CLIENT_FLAG_NO_ZEROES = 1 << 1;

    /** Largest payload (and request length) the spec expects every implementation to handle. */
    public static final int MAX_PAYLOAD = 32 * 1024 * 1024;

    /** Longest string (export name, meta context query) we accept in an option. */
    public static final int MAX_STRING = 4096;

    /** The meta context that reports holes and zeroes. */
    public static final String BASE_ALLOCATION = "base:allocation";

    /** base:allocation status bits. */
    public static final int STATE_HOLE = 1;

    public static final int STATE_ZERO = 1 << 1;
}
