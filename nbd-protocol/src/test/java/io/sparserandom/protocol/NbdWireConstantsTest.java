package io.sparserandom.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Pins every wire constant to the NBD spec (nbd-proto.md). {@link #SPEC} is the spec's tables
 * written out by hand; the first tests check our code against it, the last checks it against the
 * spec text itself (a copy in the test resources, nbd-spec/nbd-proto.md).
 */
class NbdWireConstantsTest {
    private static final long BIT31 = 1L << 31;
    private static final long BIT15 = 1L << 15;

    /** Spec name -> value, as the spec defines it. */
    private static final Map<String, Long> SPEC = new LinkedHashMap<>();

    private static void spec(String name, long value) {
        SPEC.put(name, value);
    }

    static {
        spec("NBD_OPT_EXPORT_NAME", 1);
        spec("NBD_OPT_ABORT", 2);
        spec("NBD_OPT_LIST", 3);
        spec("NBD_OPT_PEEK_EXPORT", 4);
        spec("NBD_OPT_STARTTLS", 5);
        spec("NBD_OPT_INFO", 6);
        spec("NBD_OPT_GO", 7);
        spec("NBD_OPT_STRUCTURED_REPLY", 8);
        spec("NBD_OPT_LIST_META_CONTEXT", 9);
        spec("NBD_OPT_SET_META_CONTEXT", 10);
        spec("NBD_OPT_EXTENDED_HEADERS", 11);
        spec("NBD_REP_ACK", 1);
        spec("NBD_REP_SERVER", 2);
        spec("NBD_REP_INFO", 3);
        spec("NBD_REP_META_CONTEXT", 4);
        spec("NBD_REP_ERR_UNSUP", BIT31 + 1);
        spec("NBD_REP_ERR_POLICY", BIT31 + 2);
        spec("NBD_REP_ERR_INVALID", BIT31 + 3);
        spec("NBD_REP_ERR_PLATFORM", BIT31 + 4);
        spec("NBD_REP_ERR_TLS_REQD", BIT31 + 5);
        spec("NBD_REP_ERR_UNKNOWN", BIT31 + 6);
        spec("NBD_REP_ERR_SHUTDOWN", BIT31 + 7);
        spec("NBD_REP_ERR_BLOCK_SIZE_REQD", BIT31 + 8);
        spec("NBD_REP_ERR_TOO_BIG", BIT31 + 9);
        spec("NBD_REP_ERR_EXT_HEADER_REQD", BIT31 + 10);
        spec("NBD_INFO_EXPORT", 0);
        spec("NBD_INFO_NAME", 1);
        spec("NBD_INFO_DESCRIPTION", 2);
        spec("NBD_INFO_BLOCK_SIZE", 3);
        spec("NBD_CMD_READ", 0);
        spec("NBD_CMD_WRITE", 1);
        spec("NBD_CMD_DISC", 2);
        spec("NBD_CMD_FLUSH", 3);
        spec("NBD_CMD_TRIM", 4);
        spec("NBD_CMD_CACHE", 5);
        spec("NBD_CMD_WRITE_ZEROES", 6);
        spec("NBD_CMD_BLOCK_STATUS", 7);
        spec("NBD_CMD_RESIZE", 8);
        spec("NBD_REPLY_TYPE_NONE", 0);
        spec("NBD_REPLY_TYPE_OFFSET_DATA", 1);
        spec("NBD_REPLY_TYPE_OFFSET_HOLE", 2);
        spec("NBD_REPLY_TYPE_BLOCK_STATUS", 5);
        spec("NBD_REPLY_TYPE_BLOCK_STATUS_EXT", 6);
        spec("NBD_REPLY_TYPE_ERROR", BIT15 + 1);
        spec("NBD_REPLY_TYPE_ERROR_OFFSET", BIT15 + 2);
        spec("NBD_EPERM", 1);
        spec("NBD_EIO", 5);
        spec("NBD_ENOMEM", 12);
        spec("NBD_EINVAL", 22);
        spec("NBD_ENOSPC", 28);
        spec("NBD_EOVERFLOW", 75);
        spec("NBD_ENOTSUP", 95);
        spec("NBD_ESHUTDOWN", 108);
        // Bits: the value is 1 << bit.
        spec("NBD_FLAG_FIXED_NEWSTYLE", 1L << 0);
        spec("NBD_FLAG_NO_ZEROES", 1L << 1);
        spec("NBD_FLAG_C_FIXED_NEWSTYLE", 1L << 0);
        spec("NBD_FLAG_C_NO_ZEROES", 1L << 1);
        spec("NBD_FLAG_HAS_FLAGS", 1L << 0);
        spec("NBD_FLAG_READ_ONLY", 1L << 1);
        spec("NBD_FLAG_SEND_FLUSH", 1L << 2);
        spec("NBD_FLAG_SEND_FUA", 1L << 3);
        spec("NBD_FLAG_ROTATIONAL", 1L << 4);
        spec("NBD_FLAG_SEND_TRIM", 1L << 5);
        spec("NBD_FLAG_SEND_WRITE_ZEROES", 1L << 6);
        spec("NBD_FLAG_SEND_DF", 1L << 7);
        spec("NBD_FLAG_CAN_MULTI_CONN", 1L << 8);
        spec("NBD_FLAG_SEND_RESIZE", 1L << 9);
        spec("NBD_FLAG_SEND_CACHE", 1L << 10);
        spec("NBD_FLAG_SEND_FAST_ZERO", 1L << 11);
        spec("NBD_FLAG_BLOCK_STATUS_PAYLOAD", 1L << 12);
        spec("NBD_CMD_FLAG_FUA", 1L << 0);
        spec("NBD_CMD_FLAG_NO_HOLE", 1L << 1);
        spec("NBD_CMD_FLAG_DF", 1L << 2);
        spec("NBD_CMD_FLAG_REQ_ONE", 1L << 3);
        spec("NBD_CMD_FLAG_FAST_ZERO", 1L << 4);
        spec("NBD_CMD_FLAG_PAYLOAD_LEN", 1L << 5);
        spec("NBD_REPLY_FLAG_DONE", 1L << 0);
        spec("NBD_STATE_HOLE", 1L << 0);
        spec("NBD_STATE_ZERO", 1L << 1);
        spec("NBDMAGIC", 0x4e42444d41474943L);
        spec("IHAVEOPT", 0x49484156454F5054L);
        spec("NBD_OPTION_REPLY_MAGIC", 0x3e889045565a9L);
        spec("NBD_REQUEST_MAGIC", 0x25609513L);
        spec("NBD_SIMPLE_REPLY_MAGIC", 0x67446698L);
        spec("NBD_STRUCTURED_REPLY_MAGIC", 0x668e33efL);
        spec("NBD_EXTENDED_REQUEST_MAGIC", 0x21e41c71L);
        spec("NBD_EXTENDED_REPLY_MAGIC", 0x6e8a278cL);
    }

    private static long v(String name) {
        Long value = SPEC.get(name);
        assertNotNull(value, name);
        return value;
    }

    private static <E extends Enum<E> & WireValue> void enumMatches(
            Class<E> type, String prefix, String specNames) {
        int count = 0;
        for (E e : type.getEnumConstants()) {
            assertEquals(
                    v(prefix + e.name()), Integer.toUnsignedLong(e.wireValue()), prefix + e.name());
            assertEquals(e, WireValue.find(type, e.wireValue()), "lookup of " + e);
            count++;
        }
        long inSpec = SPEC.keySet().stream().filter(k -> k.matches(specNames)).count();
        assertEquals(
                inSpec,
                count,
                "every " + prefix + "* of the spec has a constant in " + type.getSimpleName());
    }

    @Test
    void enumsCarryTheSpecValues() {
        enumMatches(NbdOption.class, "NBD_OPT_", "NBD_OPT_.*");
        enumMatches(NbdOptionReply.class, "NBD_REP_", "NBD_REP_.*");
        enumMatches(NbdInfo.class, "NBD_INFO_", "NBD_INFO_.*");
        enumMatches(NbdCommand.class, "NBD_CMD_", "NBD_CMD_(?!FLAG_).*");
        enumMatches(NbdReplyType.class, "NBD_REPLY_TYPE_", "NBD_REPLY_TYPE_.*");
        enumMatches(NbdErrno.class, "NBD_", "NBD_E[A-Z]+");
        for (NbdCommand c : NbdCommand.values()) {
            assertEquals(c, NbdCommand.of(c.wireValue()));
        }
        assertEquals(null, NbdCommand.of(9));
        assertEquals(NbdErrno.EINVAL, NbdErrno.of(12345), "unknown errors read as EINVAL");
    }

    @Test
    void flagsCarryTheSpecValues() {
        assertEquals(v("NBD_FLAG_FIXED_NEWSTYLE"), NbdMagic.FLAG_FIXED_NEWSTYLE);
        assertEquals(v("NBD_FLAG_NO_ZEROES"), NbdMagic.FLAG_NO_ZEROES);
        assertEquals(v("NBD_FLAG_C_FIXED_NEWSTYLE"), NbdMagic.CLIENT_FLAG_FIXED_NEWSTYLE);
        assertEquals(v("NBD_FLAG_C_NO_ZEROES"), NbdMagic.CLIENT_FLAG_NO_ZEROES);
        assertEquals(v("NBD_FLAG_HAS_FLAGS"), NbdTransmissionFlag.HAS_FLAGS);
        assertEquals(v("NBD_FLAG_READ_ONLY"), NbdTransmissionFlag.READ_ONLY);
        assertEquals(v("NBD_FLAG_SEND_FLUSH"), NbdTransmissionFlag.SEND_FLUSH);
        assertEquals(v("NBD_FLAG_SEND_FUA"), NbdTransmissionFlag.SEND_FUA);
        assertEquals(v("NBD_FLAG_ROTATIONAL"), NbdTransmissionFlag.ROTATIONAL);
        assertEquals(v("NBD_FLAG_SEND_TRIM"), NbdTransmissionFlag.SEND_TRIM);
        assertEquals(v("NBD_FLAG_SEND_WRITE_ZEROES"), NbdTransmissionFlag.SEND_WRITE_ZEROES);
        assertEquals(v("NBD_FLAG_SEND_DF"), NbdTransmissionFlag.SEND_DF);
        assertEquals(v("NBD_FLAG_CAN_MULTI_CONN"), NbdTransmissionFlag.CAN_MULTI_CONN);
        assertEquals(v("NBD_FLAG_SEND_RESIZE"), NbdTransmissionFlag.SEND_RESIZE);
        assertEquals(v("NBD_FLAG_SEND_CACHE"), NbdTransmissionFlag.SEND_CACHE);
        assertEquals(v("NBD_FLAG_SEND_FAST_ZERO"), NbdTransmissionFlag.SEND_FAST_ZERO);
        assertEquals(v("NBD_FLAG_BLOCK_STATUS_PAYLOAD"), NbdTransmissionFlag.BLOCK_STATUS_PAYLOAD);
        assertEquals(v("NBD_CMD_FLAG_FUA"), NbdCommandFlag.FUA);
        assertEquals(v("NBD_CMD_FLAG_NO_HOLE"), NbdCommandFlag.NO_HOLE);
        assertEquals(v("NBD_CMD_FLAG_DF"), NbdCommandFlag.DF);
        assertEquals(v("NBD_CMD_FLAG_REQ_ONE"), NbdCommandFlag.REQ_ONE);
        assertEquals(v("NBD_CMD_FLAG_FAST_ZERO"), NbdCommandFlag.FAST_ZERO);
        assertEquals(v("NBD_CMD_FLAG_PAYLOAD_LEN"), NbdCommandFlag.PAYLOAD_LEN);
        assertEquals(v("NBD_REPLY_FLAG_DONE"), NbdReplyType.FLAG_DONE);
        assertEquals(v("NBD_STATE_HOLE"), NbdMagic.STATE_HOLE);
        assertEquals(v("NBD_STATE_ZERO"), NbdMagic.STATE_ZERO);
    }

    @Test
    void magicsAndSizesAreTheSpecs() {
        assertEquals(v("NBDMAGIC"), NbdMagic.NBDMAGIC);
        assertEquals(v("IHAVEOPT"), NbdMagic.IHAVEOPT);
        assertEquals(v("NBD_OPTION_REPLY_MAGIC"), NbdMagic.OPTION_REPLY_MAGIC);
        assertEquals(v("NBD_REQUEST_MAGIC"), Integer.toUnsignedLong(NbdMagic.REQUEST_MAGIC));
        assertEquals(
                v("NBD_SIMPLE_REPLY_MAGIC"), Integer.toUnsignedLong(NbdMagic.SIMPLE_REPLY_MAGIC));
        assertEquals(
                v("NBD_STRUCTURED_REPLY_MAGIC"),
                Integer.toUnsignedLong(NbdMagic.STRUCTURED_REPLY_MAGIC));
        assertEquals(
                v("NBD_EXTENDED_REQUEST_MAGIC"),
                Integer.toUnsignedLong(NbdMagic.EXTENDED_REQUEST_MAGIC));
        assertEquals(
                v("NBD_EXTENDED_REPLY_MAGIC"),
                Integer.toUnsignedLong(NbdMagic.EXTENDED_REPLY_MAGIC));
        assertEquals(4 + 2 + 2 + 8 + 8 + 8, NbdMagic.EXTENDED_REQUEST_HEADER_SIZE);
        assertEquals(4 + 2 + 2 + 8 + 8 + 8, NbdMagic.EXTENDED_REPLY_HEADER_SIZE);
        assertEquals(4 + 2 + 2 + 8 + 8 + 4, NbdMagic.REQUEST_HEADER_SIZE);
        assertEquals(4 + 4 + 8, NbdMagic.SIMPLE_REPLY_HEADER_SIZE);
        assertEquals(4 + 2 + 2 + 8 + 4, NbdMagic.STRUCTURED_REPLY_HEADER_SIZE);
        assertEquals(8 + 4 + 4, NbdMagic.OPTION_HEADER_SIZE);
        assertEquals(8 + 4 + 4 + 4, NbdMagic.OPTION_REPLY_HEADER_SIZE);
        assertEquals(32 << 20, NbdMagic.MAX_PAYLOAD);
        assertEquals(4096, NbdMagic.MAX_STRING);
        assertEquals("base:allocation", NbdMagic.BASE_ALLOCATION);
    }

    /** The hand-written table above against the spec text: catches a slip in either. */
    @Test
    void theTableMatchesTheSpecDocument() throws Exception {
        String doc = "/nbd-spec/nbd-proto.md";
        String text;
        try (InputStream in = NbdWireConstantsTest.class.getResourceAsStream(doc)) {
            assertNotNull(in, doc + " is missing from the test resources");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Long> found = new LinkedHashMap<>();
        Matcher m = Pattern.compile("`(NBD_[A-Z_]+)` \\((2\\^(\\d+) \\+ )?(\\d+)\\)").matcher(text);
        while (m.find()) {
            long base = m.group(3) == null ? 0 : 1L << Integer.parseInt(m.group(3));
            found.putIfAbsent(m.group(1), base + Long.parseLong(m.group(4)));
        }
        m =
                Pattern.compile("`(NBD_[A-Z_]+)` \\(bit (\\d+)\\)|bit (\\d+), `(NBD_[A-Z_]+)`")
                        .matcher(text);
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(4);
            String bit = m.group(1) != null ? m.group(2) : m.group(3);
            found.putIfAbsent(name, 1L << Integer.parseInt(bit));
        }
        int checked = 0;
        for (Map.Entry<String, Long> e : SPEC.entrySet()) {
            if (e.getKey().startsWith("NBD_") && !e.getKey().endsWith("_MAGIC")) {
                assertEquals(e.getValue(), found.get(e.getKey()), e.getKey() + " in " + doc);
                checked++;
            }
        }
        assertEquals(SPEC.size() - 8, checked);
    }

    /**
     * The extension's own text (nbd-spec/nbd-proto-extended-headers.md, the extension branch) also
     * defines every value, and its two magics.
     */
    @Test
    void theTableMatchesTheExtendedHeadersDocument() throws Exception {
        String doc = "/nbd-spec/nbd-proto-extended-headers.md";
        String text;
        try (InputStream in = NbdWireConstantsTest.class.getResourceAsStream(doc)) {
            assertNotNull(in, doc + " is missing from the test resources");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String name :
                new String[] {
                    "NBD_OPT_EXTENDED_HEADERS",
                    "NBD_REP_ERR_EXT_HEADER_REQD",
                    "NBD_REPLY_TYPE_BLOCK_STATUS_EXT"
                }) {
            Matcher m =
                    Pattern.compile("`" + name + "` \\((2\\^(\\d+) \\+ )?(\\d+)\\)").matcher(text);
            assertTrue(m.find(), name + " in " + doc);
            long base = m.group(1) == null ? 0 : 1L << Integer.parseInt(m.group(2));
            assertEquals(v(name), base + Long.parseLong(m.group(3)), name);
        }
        for (String name :
                new String[] {"NBD_FLAG_BLOCK_STATUS_PAYLOAD", "NBD_CMD_FLAG_PAYLOAD_LEN"}) {
            Matcher m = Pattern.compile("bit (\\d+), `" + name + "`").matcher(text);
            assertTrue(m.find(), name + " in " + doc);
            assertEquals(v(name), 1L << Integer.parseInt(m.group(1)), name);
        }
        for (String name :
                new String[] {"NBD_EXTENDED_REQUEST_MAGIC", "NBD_EXTENDED_REPLY_MAGIC"}) {
            Matcher m =
                    Pattern.compile("0x([0-9a-f]{8}), magic \\(`" + name + "`\\)").matcher(text);
            assertTrue(m.find(), name + " in " + doc);
            assertEquals(v(name), Long.parseLong(m.group(1), 16), name);
        }
    }
}
