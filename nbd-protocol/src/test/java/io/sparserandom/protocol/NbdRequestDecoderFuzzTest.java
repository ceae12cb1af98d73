package io.sparserandom.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Property-based fuzzing of the server's request decoder (jqwik; a bounded run in every build, a
 * longer one with -DargLine=-Djqwik.tries.default=100000, see the README). Whatever the bytes, the
 * decoder must not throw, must not leak (the build runs Netty's leak detector at PARANOID), and
 * valid requests must come out exactly as they went in however the stream is split.
 */
class NbdRequestDecoderFuzzTest {
    @Property
    void randomBytesNeverThrowOrLeak(
            @ForAll @Size(max = 600) List<@IntRange(min = 0, max = 255) Integer> bytes,
            @ForAll @IntRange(min = 1, max = 64) int chunk) {
        EmbeddedChannel ch = new EmbeddedChannel(new NbdRequestDecoder(4096));
        byte[] raw = new byte[bytes.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (int) bytes.get(i);
        }
        // Half the time, start with a valid magic so the fuzzing gets past the first check.
        if (raw.length >= 4 && (chunk & 1) == 0) {
            raw[0] = 0x25;
            raw[1] = 0x60;
            raw[2] = (byte) 0x95;
            raw[3] = 0x13;
        }
        feed(ch, raw, chunk);
        drainAndRelease(ch);
        ch.finishAndReleaseAll();
    }

    @Provide
    Arbitrary<List<NbdRequest>> requests() {
        Arbitrary<NbdRequest> one =
                Arbitraries.integers()
                        .between(0, 9)
                        .flatMap(
                                type ->
                                        Arbitraries.longs()
                                                .flatMap(
                                                        offset ->
                                                                Arbitraries.integers()
                                                                        .between(0, 3000)
                                                                        .map(
                                                                                len -> {
                                                                                    if (type
                                                                                            == NbdCommand
                                                                                                    .WRITE
                                                                                                    .wireValue()) {
                                                                                        byte[]
                                                                                                payload =
                                                                                                        new byte
                                                                                                                [len];
                                                                                        for (int i =
                                                                                                        0;
                                                                                                i
                                                                                                        < len;
                                                                                                i++) {
                                                                                            payload[
                                                                                                            i] =
                                                                                                    (byte)
                                                                                                            (i
                                                                                                                            * 31
                                                                                                                    + len);
                                                                                        }
                                                                                        return NbdRequest
                                                                                                .write(
                                                                                                        len
                                                                                                                & 0x1f,
                                                                                                        offset
                                                                                                                ^ len,
                                                                                                        offset,
                                                                                                        Unpooled
                                                                                                                .wrappedBuffer(
                                                                                                                        payload));
                                                                                    }
                                                                                    NbdCommand c =
                                                                                            NbdCommand
                                                                                                    .of(
                                                                                                            type);
                                                                                    return c == null
                                                                                            ? NbdRequest
                                                                                                    .of(
                                                                                                            NbdCommand
                                                                                                                    .READ,
                                                                                                            0,
                                                                                                            type,
                                                                                                            offset,
                                                                                                            len)
                                                                                            : NbdRequest
                                                                                                    .of(
                                                                                                            c,
                                                                                                            len
                                                                                                                    & 0x1f,
                                                                                                            offset
                                                                                                                    ^ len,
                                                                                                            offset,
                                                                                                            len
                                                                                                                    * 1000L);
                                                                                })));
        return one.list().ofMaxSize(8);
    }

    @Property
    void validStreamsRoundTripWhateverTheSplit(
            @ForAll("requests") List<NbdRequest> requests,
            @ForAll @IntRange(min = 1, max = 100) int chunk) {
        ByteBuf wire = Unpooled.buffer();
        List<long[]> expected = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        for (NbdRequest r : requests) {
            NbdRequestEncoder.encodeHeader(r, wire);
            if (r.payload() != null) {
                wire.writeBytes(
                        r.payload(), r.payload().readerIndex(), r.payload().readableBytes());
                byte[] p = new byte[r.payload().readableBytes()];
                r.payload().getBytes(r.payload().readerIndex(), p);
                payloads.add(p);
            } else {
                payloads.add(null);
            }
            expected.add(new long[] {r.flags(), r.type(), r.cookie(), r.offset(), r.length()});
            r.release();
        }
        byte[] raw = new byte[wire.readableBytes()];
        wire.readBytes(raw);
        wire.release();
        EmbeddedChannel ch = new EmbeddedChannel(new NbdRequestDecoder(4096));
        feed(ch, raw, chunk);
        for (int i = 0; i < expected.size(); i++) {
            NbdRequest got = ch.readInbound();
            long[] e = expected.get(i);
            assertEquals(e[0], got.flags());
            assertEquals(e[1], got.type());
            assertEquals(e[2], got.cookie());
            assertEquals(e[3], got.offset());
            assertEquals(e[4], got.length());
            if (payloads.get(i) != null) {
                byte[] p = new byte[got.payload().readableBytes()];
                got.payload().getBytes(got.payload().readerIndex(), p);
                assertTrue(java.util.Arrays.equals(payloads.get(i), p));
            } else {
                assertTrue(got.payload() == null);
            }
            got.release();
        }
        assertTrue(ch.inboundMessages().isEmpty(), "nothing left over");
        ch.finishAndReleaseAll();
    }

    private static void feed(EmbeddedChannel ch, byte[] raw, int chunk) {
        for (int i = 0; i < raw.length; i += chunk) {
            ch.writeInbound(Unpooled.copiedBuffer(raw, i, Math.min(chunk, raw.length - i)));
        }
    }

    private static void drainAndRelease(EmbeddedChannel ch) {
        Object o;
        while ((o = ch.readInbound()) != null) {
            if (o instanceof NbdRequest r) {
                r.release();
            }
        }
    }
}
