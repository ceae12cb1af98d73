package io.sparserandom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sparserandom.device.Capabilities;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdCommandFlag;
import io.sparserandom.protocol.NbdMagic;
import io.sparserandom.protocol.NbdOption;
import io.sparserandom.protocol.NbdOptionReply;
import io.sparserandom.testsupport.RawClient;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Property-based fuzzing of the handshake (and the transmission phase behind it) on an {@link
 * EmbeddedChannel}: random and mutated-valid client byte streams, fed split at random points into
 * {@link HandshakeHandler}, which hands over to the request decoder and {@link TransmissionHandler}
 * on a {@link MemoryDevice}. Whatever the bytes:
 *
 * <ul>
 *   <li>nothing escapes the pipeline and nothing hangs (each try has a deadline);
 *   <li>the server's output is exactly what a small model of the client stream predicts: the
 *       greeting, then for each complete option, replies naming that option ending in one final
 *       reply (ACK or an error), and after GO/EXPORT_NAME one reply per complete request with its
 *       cookie; or it closes, where the spec says to disconnect, after a whole message;
 *   <li>nothing leaks: every buffer the channel wrote is released once, and Netty's leak detector
 *       (PARANOID in this build) reports nothing after the run.
 * </ul>
 *
 * A bounded run in every build (jqwik.tries.default in junit-platform.properties); a longer one is
 * described in the README.
 */
class HandshakeFuzzTest {
    static {
        LeakCheck.install();
    }

    private static final MemoryDevice DEVICE = new MemoryDevice(1 << 20, Capabilities.all());
    private static final ServerConfig CONFIG =
            new ServerConfig(
                    Map.of(
                            "", new Export("", "fuzzed", c -> DEVICE),
                            "other", new Export("other", null, c -> DEVICE)),
                    false,
                    Duration.ofSeconds(30),
                    ServerListener.NONE);

    @AfterContainer
    static void noLeaks() throws InterruptedException {
        List<String> leaks = LeakCheck.collectLeaks();
        assertTrue(leaks.isEmpty(), leaks.size() + " leak(s):\n" + String.join("\n", leaks));
    }

    // ---------------------------------------------------------------- generators

    private static byte[] string32(String s) {
        return RawClient.string32(s);
    }

    private static byte[] option(int option, byte[] data) {
        return ByteBuffer.allocate(16 + data.length)
                .putLong(NbdMagic.IHAVEOPT)
                .putInt(option)
                .putInt(data.length)
                .put(data)
                .array();
    }

    private static Arbitrary<String> names() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "other", "nope", "base:allocation", "base:", "x-y:z"),
                Arbitraries.strings().ofMaxLength(12));
    }

    /** One option with plausible data: valid most of the time, sometimes malformed. */
    @Provide
    Arbitrary<byte[]> options() {
        Arbitrary<byte[]> infoOrGo =
                Combinators.combine(
                                Arbitraries.of(NbdOption.INFO, NbdOption.GO),
                                names(),
                                Arbitraries.integers().between(0, 5).list().ofMaxSize(4))
                        .as(
                                (o, name, infos) -> {
                                    ByteBuffer b =
                                            ByteBuffer.allocate(
                                                    4 + name.length() * 4 + 2 + 2 * infos.size());
                                    b.put(string32(name)).putShort((short) infos.size());
                                    infos.forEach(i -> b.putShort((short) (int) i));
                                    return option(
                                            o.wireValue(),
                                            java.util.Arrays.copyOf(b.array(), b.position()));
                                });
        Arbitrary<byte[]> meta =
                Combinators.combine(
                                Arbitraries.of(
                                        NbdOption.LIST_META_CONTEXT, NbdOption.SET_META_CONTEXT),
                                names(),
                                names().list().ofMaxSize(3))
                        .as(
                                (o, name, queries) ->
                                        option(
                                                o.wireValue(),
                                                RawClient.metaContextRequest(
                                                        name, queries.toArray(String[]::new))));
        Arbitrary<byte[]> empty =
                Arbitraries.of(
                                NbdOption.LIST,
                                NbdOption.STRUCTURED_REPLY,
                                NbdOption.EXTENDED_HEADERS,
                                NbdOption.STARTTLS,
                                NbdOption.ABORT)
                        .map(o -> option(o.wireValue(), new byte[0]));
        Arbitrary<byte[]> anyData =
                Combinators.combine(
                                Arbitraries.integers().between(0, 12),
                                Arbitraries.bytes().array(byte[].class).ofMaxSize(40))
                        .as(HandshakeFuzzTest::option);
        Arbitrary<byte[]> exportName =
                names().map(
                                n ->
                                        option(
                                                NbdOption.EXPORT_NAME.wireValue(),
                                                n.getBytes(StandardCharsets.UTF_8)));
        Arbitrary<byte[]> tooBig =
                Arbitraries.just(
                        option(
                                NbdOption.LIST.wireValue(),
                                new byte[HandshakeHandler.MAX_OPTION_DATA + 1]));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, infoOrGo),
                net.jqwik.api.Tuple.of(4, meta),
                net.jqwik.api.Tuple.of(4, empty),
                net.jqwik.api.Tuple.of(3, anyData),
                net.jqwik.api.Tuple.of(1, exportName),
                net.jqwik.api.Tuple.of(1, tooBig));
    }

    /**
     * A request header (and payload for writes), mostly valid, sometimes with odd flags and ranges.
     */
    @Provide
    Arbitrary<byte[]> requests() {
        Arbitrary<Long> offsets =
                Arbitraries.oneOf(
                        Arbitraries.longs().between(0, 1 << 20),
                        Arbitraries.of(0L, (1L << 20) - 1, 1L << 20, -1L, Long.MAX_VALUE));
        Arbitrary<Integer> lengths =
                Arbitraries.oneOf(
                        Arbitraries.integers().between(0, 70_000),
                        Arbitraries.of(0, 1, NbdMagic.MAX_PAYLOAD + 1));
        Arbitrary<Integer> flags =
                Arbitraries.oneOf(
                        Arbitraries.of(0, 1, 2, 4, 8, 16),
                        Arbitraries.integers().between(0, 0xffff));
        return Combinators.combine(
                        flags,
                        Arbitraries.integers().between(0, 10),
                        Arbitraries.longs(),
                        offsets,
                        lengths,
                        Arbitraries.of(false, false, true))
                .as(
                        (f, type, cookie, offset, length, extended) -> {
                            boolean write =
                                    type == NbdCommand.WRITE.wireValue() && length <= 70_000;
                            // Extended headers (the 32-byte form, a payload with PAYLOAD_LEN)
                            // for streams that negotiated them; elsewhere a bad magic.
                            ByteBuffer b =
                                    extended
                                            ? RawClient.extendedRequest(
                                                    write ? f | NbdCommandFlag.PAYLOAD_LEN : f,
                                                    type,
                                                    cookie,
                                                    offset,
                                                    length,
                                                    write ? new byte[length] : null)
                                            : RawClient.request(
                                                    f,
                                                    type == NbdCommand.WRITE.wireValue() && !write
                                                            ? 0
                                                            : type,
                                                    cookie,
                                                    offset,
                                                    length,
                                                    write ? new byte[length] : null);
                            byte[] out = new byte[b.remaining()];
                            b.get(out);
                            return out;
                        });
    }

    /**
     * A client stream: flags, options, maybe GO and requests; then up to three random mutations.
     */
    @Provide
    Arbitrary<byte[]> streams() {
        Arbitrary<Integer> clientFlags =
                Arbitraries.oneOf(Arbitraries.of(3, 1, 0, 2), Arbitraries.integers());
        Arbitrary<byte[]> go =
                Arbitraries.of("", "other")
                        .map(n -> option(NbdOption.GO.wireValue(), RawClient.infoRequest(n)));
        Arbitrary<byte[]> stream =
                Combinators.combine(
                                clientFlags,
                                options().list().ofMaxSize(6),
                                go.injectNull(0.3),
                                requests().list().ofMaxSize(6))
                        .as(
                                (f, opts, g, reqs) -> {
                                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                                    out.writeBytes(ByteBuffer.allocate(4).putInt(f).array());
                                    opts.forEach(out::writeBytes);
                                    if (g != null) {
                                        out.writeBytes(g);
                                    }
                                    reqs.forEach(out::writeBytes);
                                    return out.toByteArray();
                                });
        Arbitrary<int[]> mutation =
                Combinators.combine(
                                Arbitraries.integers().between(0, 2),
                                Arbitraries.integers().between(0, Integer.MAX_VALUE),
                                Arbitraries.integers().between(0, 255))
                        .as((kind, at, value) -> new int[] {kind, at, value});
        return Combinators.combine(stream, mutation.list().ofMaxSize(3))
                .as(
                        (s, ms) -> {
                            byte[] b = s;
                            for (int[] m : ms) {
                                if (b.length == 0) {
                                    break;
                                }
                                int at = m[1] % b.length;
                                switch (m[0]) {
                                    case 0 -> b[at] = (byte) m[2]; // overwrite a byte
                                    case 1 -> b = java.util.Arrays.copyOf(b, at); // truncate
                                    default -> { // insert a byte
                                        byte[] c = new byte[b.length + 1];
                                        System.arraycopy(b, 0, c, 0, at);
                                        c[at] = (byte) m[2];
                                        System.arraycopy(b, at, c, at + 1, b.length - at);
                                        b = c;
                                    }
                                }
                            }
                            return b;
                        });
    }

    // ---------------------------------------------------------------- properties

    @Property
    void mutatedValidStreams(
            @ForAll("streams") byte[] input, @ForAll("splits") List<Integer> splits) {
        run(input, splits);
    }

    @Property
    void randomBytesAfterTheGreeting(
            @ForAll byte[] junk,
            @ForAll boolean pastTheFirstChecks,
            @ForAll("splits") List<Integer> splits) {
        if (pastTheFirstChecks) {
            // Valid client flags and an option magic, so the junk lands in an option header.
            junk =
                    ByteBuffer.allocate(12 + junk.length)
                            .putInt(3)
                            .putLong(NbdMagic.IHAVEOPT)
                            .put(junk)
                            .array();
        }
        run(junk, splits);
    }

    @Provide
    Arbitrary<List<Integer>> splits() {
        return Arbitraries.integers().between(1, 600).list().ofMinSize(1).ofMaxSize(8);
    }

    private static void run(byte[] input, List<Integer> splits) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> feedAndCheck(input, splits));
    }

    private static void feedAndCheck(byte[] input, List<Integer> splits) {
        EmbeddedChannel ch = new EmbeddedChannel(new HandshakeHandler(CONFIG, 1));
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        try {
            int pos = 0;
            for (int i = 0; pos < input.length && ch.isActive(); i++) {
                int n = Math.min(splits.get(i % splits.size()), input.length - pos);
                ch.writeInbound(
                        Unpooled.wrappedBuffer(input, pos, n)); // rethrows what reached the tail
                pos += n;
                drain(ch, written);
            }
            ch.runPendingTasks();
            drain(ch, written);
            ch.checkException();
            new Model(input, written.toByteArray(), ch.isActive()).check();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** Takes every buffer the server wrote, checking each is released exactly once by us. */
    private static void drain(EmbeddedChannel ch, ByteArrayOutputStream to) {
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            assertEquals(1, b.refCnt(), "a written buffer still referenced elsewhere");
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            to.writeBytes(bytes);
            assertTrue(b.release(), "released once, gone");
        }
        while ((o = ch.readInbound()) != null) {
            io.netty.util.ReferenceCountUtil.release(
                    o); // nothing should get here; the real server's LastResort would drop it
        }
    }

    // ---------------------------------------------------------------- the model

    /**
     * Walks the client's bytes as the spec reads them and checks the server's bytes against what
     * each complete message calls for. Not a second server: it predicts the shape of the answers
     * (which option, how many final replies, which cookie), not their content.
     */
    private static final class Model {
        private final ByteBuffer in;
        private final ByteBuffer out;
        private final boolean open;
        private boolean structured;
        private boolean extended;

        Model(byte[] input, byte[] output, boolean open) {
            this.in = ByteBuffer.wrap(input);
            this.out = ByteBuffer.wrap(output);
            this.open = open;
        }

        void check() {
            need(18, "greeting");
            assertEquals(NbdMagic.NBDMAGIC, out.getLong());
            assertEquals(NbdMagic.IHAVEOPT, out.getLong());
            out.getShort();
            if (in.remaining() < 4) {
                incomplete();
                return;
            }
            int flags = in.getInt();
            if ((flags & ~(NbdMagic.CLIENT_FLAG_FIXED_NEWSTYLE | NbdMagic.CLIENT_FLAG_NO_ZEROES))
                    != 0) {
                closed("unknown client flags");
                return;
            }
            boolean noZeroes = (flags & NbdMagic.CLIENT_FLAG_NO_ZEROES) != 0;
            while (true) {
                if (in.remaining() < 16) {
                    incomplete();
                    return;
                }
                long magic = in.getLong();
                int option = in.getInt();
                long length = Integer.toUnsignedLong(in.getInt());
                if (magic != NbdMagic.IHAVEOPT || length > HandshakeHandler.MAX_DISCARD) {
                    closed("bad option magic or huge option");
                    return;
                }
                if (in.remaining() < length) {
                    incomplete();
                    return;
                }
                in.position(in.position() + (int) length);
                if (length > HandshakeHandler.MAX_OPTION_DATA) {
                    assertEquals(NbdOptionReply.ERR_TOO_BIG.wireValue(), finalReply(option));
                    continue;
                }
                if (option == NbdOption.EXPORT_NAME.wireValue()) {
                    if (extended) {
                        closed("EXPORT_NAME after EXTENDED_HEADERS");
                        return;
                    }
                    if (!out.hasRemaining()) {
                        closed("EXPORT_NAME of an unknown export");
                        return;
                    }
                    need(noZeroes ? 10 : 134, "EXPORT_NAME reply");
                    out.position(out.position() + (noZeroes ? 10 : 134));
                    transmission();
                    return;
                }
                int type = finalReply(option);
                if (option == NbdOption.ABORT.wireValue()) {
                    assertEquals(NbdOptionReply.ACK.wireValue(), type);
                    closed("ABORT");
                    return;
                }
                if (option == NbdOption.STRUCTURED_REPLY.wireValue()
                        && type == NbdOptionReply.ACK.wireValue()) {
                    structured = true;
                }
                if (option == NbdOption.EXTENDED_HEADERS.wireValue()
                        && type == NbdOptionReply.ACK.wireValue()) {
                    extended = true;
                }
                if (option == NbdOption.GO.wireValue() && type == NbdOptionReply.ACK.wireValue()) {
                    transmission();
                    return;
                }
            }
        }

        /** Replies to one option up to its final one; returns the final reply's type. */
        private int finalReply(int option) {
            while (true) {
                need(20, "option reply to " + NbdOption.name(option));
                assertEquals(NbdMagic.OPTION_REPLY_MAGIC, out.getLong());
                assertEquals(option, out.getInt(), "reply names the option it answers");
                int type = out.getInt();
                int len = out.getInt();
                need(len, "option reply data");
                out.position(out.position() + len);
                if (type == NbdOptionReply.ACK.wireValue() || type < 0) {
                    return type;
                }
                assertTrue(
                        type == NbdOptionReply.SERVER.wireValue()
                                || type == NbdOptionReply.INFO.wireValue()
                                || type == NbdOptionReply.META_CONTEXT.wireValue(),
                        "reply type " + type);
            }
        }

        /** One reply per complete request, in order, with its cookie; DISC or bad magic closes. */
        private void transmission() {
            if (extended) {
                extendedTransmission();
                return;
            }
            while (true) {
                if (in.remaining() < NbdMagic.REQUEST_HEADER_SIZE) {
                    incomplete();
                    return;
                }
                int magic = in.getInt();
                in.getShort();
                int type = Short.toUnsignedInt(in.getShort());
                long cookie = in.getLong();
                in.getLong();
                long length = Integer.toUnsignedLong(in.getInt());
                if (magic != NbdMagic.REQUEST_MAGIC) {
                    closed("bad request magic");
                    return;
                }
                if (type == NbdCommand.DISC.wireValue()) {
                    closed("DISC");
                    return;
                }
                boolean write = type == NbdCommand.WRITE.wireValue();
                if (write && length <= NbdMagic.MAX_PAYLOAD) {
                    if (in.remaining() < length) {
                        incomplete();
                        return;
                    }
                    in.position(in.position() + (int) length);
                }
                reply(cookie, type == NbdCommand.READ.wireValue() ? length : 0);
                if (write && length > NbdMagic.MAX_PAYLOAD) {
                    // The refused payload still follows and is skipped; nothing after it can be
                    // complete.
                    assertFalse(out.hasRemaining(), "output after a dropped payload");
                    return;
                }
            }
        }

        /**
         * With extended headers: 32-byte requests whose payload is there exactly when PAYLOAD_LEN
         * is set (over the maximum closes), and one or more extended chunks per request.
         */
        private void extendedTransmission() {
            while (true) {
                if (in.remaining() < NbdMagic.EXTENDED_REQUEST_HEADER_SIZE) {
                    incomplete();
                    return;
                }
                int magic = in.getInt();
                int flags = Short.toUnsignedInt(in.getShort());
                int type = Short.toUnsignedInt(in.getShort());
                long cookie = in.getLong();
                in.getLong();
                long length = in.getLong();
                if (magic != NbdMagic.EXTENDED_REQUEST_MAGIC) {
                    closed("bad request magic");
                    return;
                }
                if ((flags & NbdCommandFlag.PAYLOAD_LEN) != 0 && length != 0) {
                    if (length < 0 || length > NbdMagic.MAX_PAYLOAD) {
                        closed("payload over the maximum");
                        return;
                    }
                    if (in.remaining() < length) {
                        incomplete();
                        return;
                    }
                    in.position(in.position() + (int) length);
                }
                if (type == NbdCommand.DISC.wireValue()) {
                    closed("DISC");
                    return;
                }
                boolean done;
                do {
                    need(32, "extended chunk");
                    assertEquals(NbdMagic.EXTENDED_REPLY_MAGIC, out.getInt());
                    done = (out.getShort() & 1) != 0;
                    out.getShort();
                    assertEquals(cookie, out.getLong());
                    out.getLong();
                    long len = out.getLong();
                    assertTrue(len >= 0 && len <= NbdMagic.MAX_PAYLOAD + 64, "chunk " + len);
                    need((int) len, "chunk payload");
                    out.position(out.position() + (int) len);
                } while (!done);
            }
        }

        private void reply(long cookie, long readLength) {
            if (!structured) {
                need(16, "simple reply");
                assertEquals(NbdMagic.SIMPLE_REPLY_MAGIC, out.getInt());
                int error = out.getInt();
                assertEquals(cookie, out.getLong());
                if (error == 0 && readLength > 0) {
                    need((int) readLength, "read payload");
                    out.position(out.position() + (int) readLength);
                }
                return;
            }
            boolean done;
            do {
                need(20, "chunk");
                assertEquals(NbdMagic.STRUCTURED_REPLY_MAGIC, out.getInt());
                done = (out.getShort() & 1) != 0;
                out.getShort();
                assertEquals(cookie, out.getLong());
                int len = out.getInt();
                need(len, "chunk payload");
                out.position(out.position() + len);
            } while (!done);
        }

        private void need(int n, String what) {
            if (out.remaining() < n) {
                fail(
                        "expected "
                                + what
                                + " ("
                                + n
                                + " bytes), server sent "
                                + out.remaining()
                                + " more, "
                                + (open ? "open" : "closed"));
            }
        }

        /**
         * The client has not finished its message: the server waits, having said everything due.
         */
        private void incomplete() {
            assertFalse(out.hasRemaining(), out.remaining() + " unexpected bytes");
            assertTrue(open, "closed while waiting for the rest of a message");
        }

        private void closed(String why) {
            assertFalse(out.hasRemaining(), out.remaining() + " bytes after " + why);
            assertFalse(open, "still open after " + why);
        }
    }
}
