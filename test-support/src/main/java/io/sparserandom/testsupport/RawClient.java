package io.sparserandom.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparserandom.protocol.NbdCommandFlag;
import io.sparserandom.protocol.NbdMagic;
import io.sparserandom.protocol.NbdOption;
import io.sparserandom.protocol.NbdOptionReply;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny blocking NBD client speaking raw bytes over a unix socket, so tests see exactly what the
 * server sends. Not thread-safe. Blocking reads are interrupted by JUnit's {@code @Timeout}.
 */
public final class RawClient implements AutoCloseable {
    private final SocketChannel ch;

    // The bytes as received, for tests to read; these records are never compared or hashed.
    @SuppressWarnings("ArrayRecordComponent")
    public record OptionReply(int option, int type, byte[] data) {
        public ByteBuffer buf() {
            return ByteBuffer.wrap(data);
        }

        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    // The bytes as received, for tests to read; these records are never compared or hashed.
    @SuppressWarnings("ArrayRecordComponent")
    public record Chunk(int flags, int type, long cookie, byte[] data) {
        public ByteBuffer buf() {
            return ByteBuffer.wrap(data);
        }

        public boolean done() {
            return (flags & 1) != 0;
        }
    }

    public record SimpleReply(int error, long cookie) {}

    /** An extended reply chunk (NBD_OPT_EXTENDED_HEADERS): the header also has the offset. */
    public record ExtChunk(int flags, int type, long cookie, long offset, byte[] data) {
        public ByteBuffer buf() {
            return ByteBuffer.wrap(data);
        }

        public boolean done() {
            return (flags & 1) != 0;
        }
    }

    /** What GO/EXPORT_NAME told us. */
    public record Export(long size, int flags) {}

    public RawClient(Path socket) throws IOException {
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
    }

    /** Reads and checks the 18-byte greeting; returns the handshake flags. */
    public int greeting() throws IOException {
        ByteBuffer b = read(18);
        assertEquals(NbdMagic.NBDMAGIC, b.getLong(), "NBDMAGIC");
        assertEquals(NbdMagic.IHAVEOPT, b.getLong(), "IHAVEOPT");
        return Short.toUnsignedInt(b.getShort());
    }

    public RawClient clientFlags(int flags) throws IOException {
        write(ByteBuffer.allocate(4).putInt(0, flags));
        return this;
    }

    /** Greeting + fixed newstyle + no zeroes. */
    public RawClient hello() throws IOException {
        greeting();
        return clientFlags(NbdMagic.CLIENT_FLAG_FIXED_NEWSTYLE | NbdMagic.CLIENT_FLAG_NO_ZEROES);
    }

    public void option(int option, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 + data.length);
        b.putLong(NbdMagic.IHAVEOPT).putInt(option).putInt(data.length).put(data).flip();
        write(b);
    }

    public void option(NbdOption option, byte[] data) throws IOException {
        option(option.wireValue(), data);
    }

    public OptionReply optionReply() throws IOException {
        ByteBuffer h = read(20);
        assertEquals(NbdMagic.OPTION_REPLY_MAGIC, h.getLong(), "option reply magic");
        int opt = h.getInt();
        int type = h.getInt();
        int len = h.getInt();
        return new OptionReply(opt, type, read(len).array());
    }

    /** Replies up to and including the first that is not INFO/SERVER/META_CONTEXT. */
    public List<OptionReply> optionReplies() throws IOException {
        List<OptionReply> all = new ArrayList<>();
        while (true) {
            OptionReply r = optionReply();
            all.add(r);
            if (r.type() == NbdOptionReply.ACK.wireValue() || r.type() < 0) {
                return all;
            }
        }
    }

    public static byte[] string32(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).array();
    }

    /** Data of INFO/GO: name, then the requested information types. */
    public static byte[] infoRequest(String name, int... infos) {
        byte[] n = string32(name);
        ByteBuffer b =
                ByteBuffer.allocate(n.length + 2 + 2 * infos.length)
                        .put(n)
                        .putShort((short) infos.length);
        for (int i : infos) {
            b.putShort((short) i);
        }
        return b.array();
    }

    public static byte[] metaContextRequest(String export, String... queries) {
        ByteBuffer b = ByteBuffer.allocate(8192);
        b.put(string32(export)).putInt(queries.length);
        for (String q : queries) {
            b.put(string32(q));
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /**
     * The usual path: hello, optionally STRUCTURED_REPLY and SET_META_CONTEXT base:allocation, then
     * GO on {@code name}. Returns the export's size and flags.
     */
    public Export connect(String name, boolean structured, boolean metaContext) throws IOException {
        hello();
        return go(name, structured, metaContext);
    }

    /** As {@link #connect} but after {@link #hello()} was already done. */
    public Export go(String name, boolean structured, boolean metaContext) throws IOException {
        if (structured) {
            option(NbdOption.STRUCTURED_REPLY, new byte[0]);
            assertEquals(NbdOptionReply.ACK.wireValue(), optionReply().type());
        }
        if (metaContext) {
            option(NbdOption.SET_META_CONTEXT, metaContextRequest(name, NbdMagic.BASE_ALLOCATION));
            List<OptionReply> rs = optionReplies();
            assertEquals(NbdOptionReply.ACK.wireValue(), rs.get(rs.size() - 1).type());
        }
        option(NbdOption.GO, infoRequest(name));
        Export e = null;
        for (OptionReply r : optionReplies()) {
            if (r.type() == NbdOptionReply.INFO.wireValue() && r.buf().getShort() == 0) {
                ByteBuffer b = r.buf();
                b.getShort();
                e = new Export(b.getLong(), Short.toUnsignedInt(b.getShort()));
            } else if (r.type() != NbdOptionReply.INFO.wireValue()
                    && r.type() != NbdOptionReply.ACK.wireValue()) {
                throw new IOException(
                        "GO failed: " + NbdOptionReply.name(r.type()) + " " + r.text());
            }
        }
        if (e == null) {
            throw new IOException("GO sent no NBD_INFO_EXPORT");
        }
        return e;
    }

    public static ByteBuffer request(
            int flags, int type, long cookie, long offset, long length, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(28 + (payload == null ? 0 : payload.length));
        b.putInt(NbdMagic.REQUEST_MAGIC)
                .putShort((short) flags)
                .putShort((short) type)
                .putLong(cookie)
                .putLong(offset)
                .putInt((int) length);
        if (payload != null) {
            b.put(payload);
        }
        return b.flip();
    }

    public void send(int flags, int type, long cookie, long offset, long length)
            throws IOException {
        write(request(flags, type, cookie, offset, length, null));
    }

    public void sendWrite(int flags, long cookie, long offset, byte[] payload) throws IOException {
        write(request(flags, 1, cookie, offset, payload.length, payload));
    }

    public SimpleReply simpleReply() throws IOException {
        ByteBuffer h = read(16);
        assertEquals(NbdMagic.SIMPLE_REPLY_MAGIC, h.getInt(), "simple reply magic");
        return new SimpleReply(h.getInt(), h.getLong());
    }

    public Chunk chunk() throws IOException {
        ByteBuffer h = read(20);
        assertEquals(NbdMagic.STRUCTURED_REPLY_MAGIC, h.getInt(), "structured reply magic");
        int flags = Short.toUnsignedInt(h.getShort());
        int type = Short.toUnsignedInt(h.getShort());
        long cookie = h.getLong();
        int len = h.getInt();
        return new Chunk(flags, type, cookie, read(len).array());
    }

    /** Chunks of one reply, up to the one with FLAG_DONE. */
    public List<Chunk> chunks() throws IOException {
        List<Chunk> all = new ArrayList<>();
        Chunk c;
        do {
            c = chunk();
            all.add(c);
        } while (!c.done());
        return all;
    }

    /** A 32-byte extended request header, then {@code payload} if any, as given (no flag added). */
    public static ByteBuffer extendedRequest(
            int flags, int type, long cookie, long offset, long length, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(32 + (payload == null ? 0 : payload.length));
        b.putInt(NbdMagic.EXTENDED_REQUEST_MAGIC)
                .putShort((short) flags)
                .putShort((short) type)
                .putLong(cookie)
                .putLong(offset)
                .putLong(length);
        if (payload != null) {
            b.put(payload);
        }
        return b.flip();
    }

    /** An extended request without payload: {@code length} is a 64-bit effect length. */
    public void sendExtended(int flags, int type, long cookie, long offset, long length)
            throws IOException {
        write(extendedRequest(flags, type, cookie, offset, length, null));
    }

    /** An extended request of any type with PAYLOAD_LEN and {@code payload}. */
    public void sendExtendedPayload(int flags, int type, long cookie, long offset, byte[] payload)
            throws IOException {
        write(
                extendedRequest(
                        flags | NbdCommandFlag.PAYLOAD_LEN,
                        type,
                        cookie,
                        offset,
                        payload.length,
                        payload));
    }

    /** Reads one extended reply chunk, checking its magic. */
    public ExtChunk extendedChunk() throws IOException {
        ByteBuffer h = read(32);
        assertEquals(NbdMagic.EXTENDED_REPLY_MAGIC, h.getInt(), "extended reply magic");
        int flags = Short.toUnsignedInt(h.getShort());
        int type = Short.toUnsignedInt(h.getShort());
        long cookie = h.getLong();
        long offset = h.getLong();
        long len = h.getLong();
        if (len < 0 || len > 64L << 20) {
            throw new IOException(
                    "extended reply chunk of " + Long.toUnsignedString(len) + " bytes");
        }
        return new ExtChunk(flags, type, cookie, offset, read((int) len).array());
    }

    /** Extended chunks of one reply, up to the one with FLAG_DONE. */
    public List<ExtChunk> extendedChunks() throws IOException {
        List<ExtChunk> all = new ArrayList<>();
        ExtChunk c;
        do {
            c = extendedChunk();
            all.add(c);
        } while (!c.done());
        return all;
    }

    public void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    public void write(byte[] b) throws IOException {
        write(ByteBuffer.wrap(b));
    }

    public ByteBuffer read(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new EOFException(
                        "server closed after " + b.position() + " of " + n + " bytes");
            }
        }
        return b.flip();
    }

    /** True when the server closed the connection (EOF) before sending anything more. */
    public boolean closedByServer() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        try {
            return ch.read(b) < 0;
        } catch (IOException e) {
            return true; // connection reset
        }
    }

    /** Half-closes: the server reads EOF while this side can still read its answer. */
    public void shutdownOutput() throws IOException {
        ch.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
