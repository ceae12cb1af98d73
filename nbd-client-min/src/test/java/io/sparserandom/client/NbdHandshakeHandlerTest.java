package io.sparserandom.client;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import io.sparserandom.protocol.NbdInfo;
import io.sparserandom.protocol.NbdMagic;
import io.sparserandom.protocol.NbdOption;
import io.sparserandom.protocol.NbdOptionReply;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The handshake against a scripted server: fallbacks and refusals nbdkit cannot be asked to
 * produce.
 */
class NbdHandshakeHandlerTest {
    final Promise<NbdExportInfo> result = GlobalEventExecutor.INSTANCE.newPromise();

    EmbeddedChannel channel(NbdClientOptions options) {
        return new EmbeddedChannel(new NbdHandshakeHandler("disk", options, result));
    }

    static ByteBuf greeting(int flags) {
        return Unpooled.buffer()
                .writeLong(NbdMagic.NBDMAGIC)
                .writeLong(NbdMagic.IHAVEOPT)
                .writeShort(flags);
    }

    static ByteBuf reply(NbdOption opt, NbdOptionReply type, ByteBuf payload) {
        ByteBuf b =
                Unpooled.buffer()
                        .writeLong(NbdMagic.OPTION_REPLY_MAGIC)
                        .writeInt(opt.wireValue())
                        .writeInt(type.wireValue())
                        .writeInt(payload.readableBytes())
                        .writeBytes(payload);
        payload.release();
        return b;
    }

    /** Reads what the client sent: the option numbers, in order, skipping client flags. */
    static int nextOption(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        try {
            if (all.readableBytes() == 4) {
                return -1; // client flags only
            }
            if (all.readableBytes() > 4 && all.getLong(0) != NbdMagic.IHAVEOPT) {
                all.skipBytes(4); // client flags first
            }
            assertEquals(NbdMagic.IHAVEOPT, all.readLong());
            return all.readInt();
        } finally {
            all.release();
        }
    }

    @Test
    void fullNegotiation() {
        EmbeddedChannel ch = channel(NbdClientOptions.DEFAULTS.withExtendedHeaders(false));
        ch.writeInbound(greeting(NbdMagic.FLAG_FIXED_NEWSTYLE | NbdMagic.FLAG_NO_ZEROES));
        assertEquals(NbdOption.STRUCTURED_REPLY.wireValue(), nextOption(ch));
        ch.writeInbound(reply(NbdOption.STRUCTURED_REPLY, NbdOptionReply.ACK, Unpooled.buffer()));
        assertEquals(NbdOption.SET_META_CONTEXT.wireValue(), nextOption(ch));
        ch.writeInbound(
                reply(
                        NbdOption.SET_META_CONTEXT,
                        NbdOptionReply.META_CONTEXT,
                        Unpooled.buffer()
                                .writeInt(9)
                                .writeBytes(
                                        "base:allocation".getBytes(StandardCharsets.US_ASCII))));
        ch.writeInbound(reply(NbdOption.SET_META_CONTEXT, NbdOptionReply.ACK, Unpooled.buffer()));
        assertEquals(NbdOption.GO.wireValue(), nextOption(ch));
        ch.writeInbound(
                reply(
                        NbdOption.GO,
                        NbdOptionReply.INFO,
                        Unpooled.buffer()
                                .writeShort(NbdInfo.BLOCK_SIZE.wireValue())
                                .writeInt(512)
                                .writeInt(4096)
                                .writeInt(1 << 22)));
        ch.writeInbound(
                reply(
                        NbdOption.GO,
                        NbdOptionReply.INFO,
                        Unpooled.buffer()
                                .writeShort(NbdInfo.EXPORT.wireValue())
                                .writeLong(1 << 30)
                                .writeShort(0x1ed)));
        assertFalse(result.isDone());
        ch.writeInbound(reply(NbdOption.GO, NbdOptionReply.ACK, Unpooled.buffer()));
        NbdExportInfo info = result.getNow();
        assertEquals(
                new NbdExportInfo(1 << 30, 0x1ed, 512, 4096, 1 << 22, true, 9, true, false), info);
        ch.finishAndReleaseAll();
    }

    @Test
    void fallsBackToExportNameWhenGoIsUnsupported() {
        EmbeddedChannel ch = channel(NbdClientOptions.DEFAULTS.withStructuredReplies(false));
        ch.writeInbound(
                greeting(NbdMagic.FLAG_FIXED_NEWSTYLE)); // no NO_ZEROES: 124 zero bytes follow
        assertEquals(NbdOption.GO.wireValue(), nextOption(ch));
        ch.writeInbound(reply(NbdOption.GO, NbdOptionReply.ERR_UNSUP, Unpooled.buffer()));
        assertEquals(NbdOption.EXPORT_NAME.wireValue(), nextOption(ch));
        ByteBuf tail = Unpooled.buffer().writeLong(123456789L).writeShort(3).writeZero(124);
        ch.writeInbound(tail.readRetainedSlice(50));
        assertFalse(result.isDone());
        ch.writeInbound(tail);
        NbdExportInfo info = result.getNow();
        assertEquals(123456789L, info.size());
        assertTrue(info.readOnly());
        assertFalse(info.usedGo());
        assertFalse(info.structuredReplies());
        ch.finishAndReleaseAll();
    }

    @Test
    void refusedExportCarriesServerMessage() {
        EmbeddedChannel ch = channel(NbdClientOptions.DEFAULTS.withStructuredReplies(false));
        ch.writeInbound(greeting(NbdMagic.FLAG_FIXED_NEWSTYLE | NbdMagic.FLAG_NO_ZEROES));
        nextOption(ch);
        ch.writeInbound(
                reply(
                        NbdOption.GO,
                        NbdOptionReply.ERR_UNKNOWN,
                        Unpooled.copiedBuffer("no such export", StandardCharsets.UTF_8)));
        assertTrue(result.isDone());
        String msg = result.cause().getMessage();
        assertTrue(
                msg.contains("ERR_UNKNOWN")
                        && msg.contains("no such export")
                        && msg.contains("disk"),
                msg);
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();
    }

    @Test
    void structuredRepliesRefusedMeansSimpleReplies() {
        EmbeddedChannel ch = channel(NbdClientOptions.DEFAULTS.withExtendedHeaders(false));
        ch.writeInbound(greeting(NbdMagic.FLAG_FIXED_NEWSTYLE | NbdMagic.FLAG_NO_ZEROES));
        nextOption(ch);
        ch.writeInbound(
                reply(NbdOption.STRUCTURED_REPLY, NbdOptionReply.ERR_UNSUP, Unpooled.buffer()));
        assertEquals(
                NbdOption.GO.wireValue(),
                nextOption(ch),
                "no meta context without structured replies");
        ch.writeInbound(
                reply(
                        NbdOption.GO,
                        NbdOptionReply.INFO,
                        Unpooled.buffer()
                                .writeShort(NbdInfo.EXPORT.wireValue())
                                .writeLong(4096)
                                .writeShort(1)));
        ch.writeInbound(reply(NbdOption.GO, NbdOptionReply.ACK, Unpooled.buffer()));
        assertFalse(result.getNow().structuredReplies());
        assertFalse(result.getNow().metaContext());
        ch.finishAndReleaseAll();
    }

    private void goWithExport(EmbeddedChannel ch) {
        assertEquals(NbdOption.GO.wireValue(), nextOption(ch));
        ch.writeInbound(
                reply(
                        NbdOption.GO,
                        NbdOptionReply.INFO,
                        Unpooled.buffer()
                                .writeShort(NbdInfo.EXPORT.wireValue())
                                .writeLong(1L << 62)
                                .writeShort(1)));
        ch.writeInbound(reply(NbdOption.GO, NbdOptionReply.ACK, Unpooled.buffer()));
    }

    @Test
    void extendedHeadersFirstThenMetaContextWithoutStructuredReplies() {
        // Extended headers take precedence over structured replies: once acknowledged the client
        // goes straight to SET_META_CONTEXT.
        EmbeddedChannel ch = channel(NbdClientOptions.DEFAULTS);
        ch.writeInbound(greeting(NbdMagic.FLAG_FIXED_NEWSTYLE | NbdMagic.FLAG_NO_ZEROES));
        assertEquals(NbdOption.EXTENDED_HEADERS.wireValue(), nextOption(ch));
        ch.writeInbound(reply(NbdOption.EXTENDED_HEADERS, NbdOptionReply.ACK, Unpooled.buffer()));
        assertEquals(NbdOption.SET_META_CONTEXT.wireValue(), nextOption(ch));
        ch.writeInbound(
                reply(
                        NbdOption.SET_META_CONTEXT,
                        NbdOptionReply.META_CONTEXT,
                        Unpooled.buffer()
                                .writeInt(4)
                                .writeBytes(
                                        "base:allocation".getBytes(StandardCharsets.US_ASCII))));
        ch.writeInbound(reply(NbdOption.SET_META_CONTEXT, NbdOptionReply.ACK, Unpooled.buffer()));
        goWithExport(ch);
        NbdExportInfo info = result.getNow();
        assertTrue(info.extendedHeaders());
        assertTrue(info.structuredReplies(), "every reply is a chunk");
        assertEquals(4, info.metaContextId());
        assertEquals(Long.MAX_VALUE, info.maxEffectLength());
        ch.finishAndReleaseAll();
    }

    @Test
    void extendedHeadersRefusedFallsBackToStructuredReplies() {
        // "clients SHOULD be prepared to also handle NBD_REP_ERR_UNSUP; in this case, only the
        // compact transmission headers will be used" (nbdkit answers so).
        EmbeddedChannel ch = channel(NbdClientOptions.DEFAULTS.withMetaContext(false));
        ch.writeInbound(greeting(NbdMagic.FLAG_FIXED_NEWSTYLE | NbdMagic.FLAG_NO_ZEROES));
        assertEquals(NbdOption.EXTENDED_HEADERS.wireValue(), nextOption(ch));
        ch.writeInbound(
                reply(NbdOption.EXTENDED_HEADERS, NbdOptionReply.ERR_UNSUP, Unpooled.buffer()));
        assertEquals(NbdOption.STRUCTURED_REPLY.wireValue(), nextOption(ch));
        ch.writeInbound(reply(NbdOption.STRUCTURED_REPLY, NbdOptionReply.ACK, Unpooled.buffer()));
        goWithExport(ch);
        NbdExportInfo info = result.getNow();
        assertFalse(info.extendedHeaders());
        assertTrue(info.structuredReplies());
        assertEquals(0xffff_ffffL, info.maxEffectLength());
        ch.finishAndReleaseAll();
    }

    @Test
    void goUnsupportedAfterExtendedHeadersIsNotAFallback() {
        // "a client that has used NBD_OPT_EXTENDED_HEADERS to negotiate extended headers MUST NOT
        // use" NBD_OPT_EXPORT_NAME: a GO refused as unsupported fails the connection.
        EmbeddedChannel ch = channel(NbdClientOptions.DEFAULTS.withMetaContext(false));
        ch.writeInbound(greeting(NbdMagic.FLAG_FIXED_NEWSTYLE | NbdMagic.FLAG_NO_ZEROES));
        nextOption(ch);
        ch.writeInbound(reply(NbdOption.EXTENDED_HEADERS, NbdOptionReply.ACK, Unpooled.buffer()));
        assertEquals(NbdOption.GO.wireValue(), nextOption(ch));
        ch.writeInbound(reply(NbdOption.GO, NbdOptionReply.ERR_UNSUP, Unpooled.buffer()));
        assertTrue(result.isDone());
        assertTrue(result.cause().getMessage().contains("ERR_UNSUP"), result.cause().getMessage());
        Object sent = ch.readOutbound();
        assertEquals(null, sent, "no EXPORT_NAME sent");
        ch.finishAndReleaseAll();
    }

    @Test
    void badInputFailsCleanly() {
        String[] expect = {
            "bad magic", "oldstyle", "fixed newstyle", "too large", "bad option reply magic"
        };
        ByteBuf[] inputs = {
            Unpooled.buffer().writeLong(1).writeLong(2).writeShort(1),
            Unpooled.buffer()
                    .writeLong(NbdMagic.NBDMAGIC)
                    .writeLong(0x00420281861253L)
                    .writeShort(1),
            greeting(0),
            null,
            null,
        };
        for (int i = 0; i < expect.length; i++) {
            Promise<NbdExportInfo> p = GlobalEventExecutor.INSTANCE.newPromise();
            EmbeddedChannel ch =
                    new EmbeddedChannel(new NbdHandshakeHandler("", NbdClientOptions.DEFAULTS, p));
            if (inputs[i] != null) {
                ch.writeInbound(inputs[i]);
            } else {
                ch.writeInbound(greeting(3));
                ByteBuf r =
                        Unpooled.buffer()
                                .writeLong(i == 3 ? NbdMagic.OPTION_REPLY_MAGIC : 77)
                                .writeInt(NbdOption.STRUCTURED_REPLY.wireValue())
                                .writeInt(1)
                                .writeInt(1 << 30);
                ch.writeInbound(r);
            }
            assertTrue(p.isDone(), expect[i]);
            assertTrue(p.cause().getMessage().contains(expect[i]), p.cause().getMessage());
            assertFalse(ch.isOpen());
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void serverHangsUpDuringHandshake() {
        EmbeddedChannel ch = channel(NbdClientOptions.DEFAULTS);
        ch.writeInbound(greeting(3));
        ch.close();
        assertTrue(
                result.cause().getMessage().contains("closed the connection"),
                result.cause().getMessage());
        ch.finishAndReleaseAll();
    }
}
