package io.sparserandom.protocol;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins every wire value to the table in nbd-proto.md. Typed out by hand from the spec on purpose:
 * a value that drifts (WRITE_ZEROES=5) must fail here, not in an interop run.
 */
class WireValuesTest {
    private static <E extends Enum<E> & WireValue> void pin(Class<E> type, Map<String, Integer> spec) {
        Map<String, Integer> actual = new LinkedHashMap<>();
        for (E e : type.getEnumConstants()) {
            actual.put(e.name(), e.wireValue());
        }
        assertEquals(spec, actual, type.getSimpleName());
        for (E e : type.getEnumConstants()) {
            assertEquals(e, WireValue.find(type, e.wireValue()));
        }
    }

    private static Map<String, Integer> m(Object... kv) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put((String) kv[i], (Integer) kv[i + 1]);
        }
        return map;
    }

    @Test
    void commands() {
        pin(NbdCommand.class, m("READ", 0, "WRITE", 1, "DISC", 2, "FLUSH", 3, "TRIM", 4, "CACHE", 5,
                "WRITE_ZEROES", 6, "BLOCK_STATUS", 7, "RESIZE", 8));
        assertEquals(NbdCommand.WRITE_ZEROES, NbdCommand.of(6));
        assertEquals(null, NbdCommand.of(9));
        assertEquals(null, NbdCommand.of(-1));
    }

    @Test
    void options() {
        pin(NbdOption.class, m("EXPORT_NAME", 1, "ABORT", 2, "LIST", 3, "PEEK_EXPORT", 4, "STARTTLS", 5,
                "INFO", 6, "GO", 7, "STRUCTURED_REPLY", 8, "LIST_META_CONTEXT", 9, "SET_META_CONTEXT", 10,
                "EXTENDED_HEADERS", 11));
    }

    @Test
    void optionReplies() {
        pin(NbdOptionReply.class, m("ACK", 1, "SERVER", 2, "INFO", 3, "META_CONTEXT", 4,
                "ERR_UNSUP", (1 << 31) + 1, "ERR_POLICY", (1 << 31) + 2, "ERR_INVALID", (1 << 31) + 3,
                "ERR_PLATFORM", (1 << 31) + 4, "ERR_TLS_REQD", (1 << 31) + 5, "ERR_UNKNOWN", (1 << 31) + 6,
                "ERR_SHUTDOWN", (1 << 31) + 7, "ERR_BLOCK_SIZE_REQD", (1 << 31) + 8,
                "ERR_TOO_BIG", (1 << 31) + 9, "ERR_EXT_HEADER_REQD", (1 << 31) + 10));
    }

    @Test
    void infos() {
        pin(NbdInfo.class, m("EXPORT", 0, "NAME", 1, "DESCRIPTION", 2, "BLOCK_SIZE", 3));
    }

    @Test
    void replyTypes() {
        pin(NbdReplyType.class, m("NONE", 0, "OFFSET_DATA", 1, "OFFSET_HOLE", 2, "BLOCK_STATUS", 5,
                "ERROR", (1 << 15) + 1, "ERROR_OFFSET", (1 << 15) + 2));
        assertEquals(1, NbdReplyType.FLAG_DONE);
    }

    @Test
    void errnos() {
        pin(NbdErrno.class, m("EPERM", 1, "EIO", 5, "ENOMEM", 12, "EINVAL", 22, "ENOSPC", 28,
                "EOVERFLOW", 75, "ENOTSUP", 95, "ESHUTDOWN", 108));
        assertEquals(NbdErrno.EINVAL, NbdErrno.of(12345));
    }

    @Test
    void flagsAndMagics() {
        assertEquals(1, NbdCommandFlag.FUA);
        assertEquals(2, NbdCommandFlag.NO_HOLE);
        assertEquals(4, NbdCommandFlag.DF);
        assertEquals(8, NbdCommandFlag.REQ_ONE);
        assertEquals(16, NbdCommandFlag.FAST_ZERO);
        assertEquals(32, NbdCommandFlag.PAYLOAD_LEN);

        assertEquals(1, NbdTransmissionFlag.HAS_FLAGS);
        assertEquals(2, NbdTransmissionFlag.READ_ONLY);
        assertEquals(4, NbdTransmissionFlag.SEND_FLUSH);
        assertEquals(8, NbdTransmissionFlag.SEND_FUA);
        assertEquals(16, NbdTransmissionFlag.ROTATIONAL);
        assertEquals(32, NbdTransmissionFlag.SEND_TRIM);
        assertEquals(64, NbdTransmissionFlag.SEND_WRITE_ZEROES);
        assertEquals(128, NbdTransmissionFlag.SEND_DF);
        assertEquals(256, NbdTransmissionFlag.CAN_MULTI_CONN);
        assertEquals(512, NbdTransmissionFlag.SEND_RESIZE);
        assertEquals(1024, NbdTransmissionFlag.SEND_CACHE);
        assertEquals(2048, NbdTransmissionFlag.SEND_FAST_ZERO);

        assertEquals(0x4e42444d41474943L, NbdMagic.NBDMAGIC);
        assertEquals(0x49484156454f5054L, NbdMagic.IHAVEOPT);
        assertEquals(0x3e889045565a9L, NbdMagic.OPTION_REPLY_MAGIC);
        assertEquals(0x25609513, NbdMagic.REQUEST_MAGIC);
        assertEquals(0x67446698, NbdMagic.SIMPLE_REPLY_MAGIC);
        assertEquals(0x668e33ef, NbdMagic.STRUCTURED_REPLY_MAGIC);
        assertEquals(1, NbdMagic.FLAG_FIXED_NEWSTYLE);
        assertEquals(2, NbdMagic.FLAG_NO_ZEROES);
        assertEquals(1, NbdMagic.STATE_HOLE);
        assertEquals(2, NbdMagic.STATE_ZERO);
        assertEquals(28, NbdMagic.REQUEST_HEADER_SIZE);
        assertEquals(16, NbdMagic.SIMPLE_REPLY_HEADER_SIZE);
        assertEquals(20, NbdMagic.STRUCTURED_REPLY_HEADER_SIZE);
        assertEquals(32 << 20, NbdMagic.MAX_PAYLOAD);
    }
}
