package io.sparserandom.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sparserandom.cli.DiskArguments;
import io.sparserandom.client.NbdClientOptions;
import io.sparserandom.client.NbdException;
import io.sparserandom.client.NbdProtocolException;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.Errno;
import io.sparserandom.device.ForwardingDevice;
import io.sparserandom.generator.SparseRandomDisk;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdErrno;
import io.sparserandom.server.NbdServer;
import io.sparserandom.server.ServerFaults;
import io.sparserandom.verifier.CoverageLedger;
import io.sparserandom.verifier.Verdict;
import io.sparserandom.verifier.Verifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The copier's direct data path ({@link DirectLanes}) against our server in this JVM, in each reply
 * format the server speaks: simple replies, structured replies (reads split into OFFSET_DATA and
 * OFFSET_HOLE chunks along the disk's runs) and extended headers. The verifier behind the server
 * checks every byte written; a read error must fail the copy, not hang it or pass.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DirectCopyTest {
    @TempDir Path dir;

    /** What the client asks for in the handshake. */
    enum Replies {
        SIMPLE(NbdClientOptions.DEFAULTS.withStructuredReplies(false)),
        STRUCTURED(NbdClientOptions.DEFAULTS.withExtendedHeaders(false)),
        EXTENDED(NbdClientOptions.DEFAULTS);

        final NbdClientOptions options;

        Replies(NbdClientOptions options) {
            this.options = options;
        }
    }

    @ParameterizedTest
    @EnumSource(Replies.class)
    void selfCopyWithExtentsVerifies(Replies replies) throws Exception {
        CopyResult r = selfCopy(replies, true, UnaryOperator.identity());
        if (replies != Replies.SIMPLE) { // no block status without structured replies
            assertTrue(r.bytesZeroed() > r.bytesCopied(), r.summary());
        }
    }

    /** Without extents every byte is read: reads span holes, runs and their borders. */
    @ParameterizedTest
    @EnumSource(Replies.class)
    void selfCopyReadingEverythingVerifies(Replies replies) throws Exception {
        CopyResult r = selfCopy(replies, false, UnaryOperator.identity());
        assertEquals(r.size(), r.bytesCopied(), r.summary());
    }

    @ParameterizedTest
    @EnumSource(Replies.class)
    void aReadErrorFailsTheCopy(Replies replies) {
        CopyException e =
                assertThrows(
                        CopyException.class,
                        () -> selfCopy(replies, false, d -> new FailingReads(d, 100L << 20)));
        NbdException cause = assertInstanceOf(NbdException.class, e.getCause(), e.toString());
        assertEquals(NbdErrno.EIO, cause.errno());
        assertTrue(e.getMessage().contains("READ"), e.getMessage());
    }

    /** The server drops every connection mid-copy: the copy fails at once and says why. */
    @ParameterizedTest
    @EnumSource(Replies.class)
    void aDroppedConnectionFailsTheCopy(Replies replies) {
        ServerFaults drop = ServerFaults.builder().disconnectAfter(40L << 20).build();
        CopyException e =
                assertThrows(
                        CopyException.class,
                        () -> selfCopy(replies, false, UnaryOperator.identity(), drop));
        assertInstanceOf(NbdProtocolException.class, e.getCause(), e.toString());
        assertTrue(
                e.getMessage().matches(".*(closed the connection|connection to .* lost).*"),
                e.getMessage());
        assertTrue(e.getMessage().contains("requests in flight"), e.getMessage());
    }

    /** A server that stops answering fails the copy after the request timeout, not never. */
    @ParameterizedTest
    @EnumSource(Replies.class)
    void aSilentServerTimesOut(Replies replies) {
        ServerFaults slow =
                ServerFaults.builder().delay(NbdCommand.READ, Duration.ofSeconds(30)).build();
        CopyException e =
                assertThrows(
                        CopyException.class,
                        () ->
                                selfCopy(
                                        replies.options.withRequestTimeout(Duration.ofMillis(500)),
                                        false,
                                        UnaryOperator.identity(),
                                        slow));
        assertTrue(e.getMessage().contains("no reply from"), e.getMessage());
    }

    private CopyResult selfCopy(
            Replies replies, boolean extents, UnaryOperator<BlockDevice> decorate)
            throws Exception {
        return selfCopy(replies.options, extents, decorate, ServerFaults.NONE);
    }

    private CopyResult selfCopy(
            Replies replies,
            boolean extents,
            UnaryOperator<BlockDevice> decorate,
            ServerFaults faults)
            throws Exception {
        return selfCopy(replies.options, extents, decorate, faults);
    }

    private CopyResult selfCopy(
            NbdClientOptions client,
            boolean extents,
            UnaryOperator<BlockDevice> decorate,
            ServerFaults faults)
            throws Exception {
        SparseRandomDisk d =
                SparseRandomDisk.create(
                        DiskArguments.parse(List.of("256M", "seed=7", "percent=30", "runlength=3M"))
                                .params());
        CoverageLedger ledger = new CoverageLedger();
        Verifier verifier = new Verifier(d, ledger);
        Path socket = dir.resolve("nbd.sock");
        CopyResult result;
        try (NbdServer server =
                NbdServer.builder()
                        .device("", "test", c -> decorate.apply(verifier.forConnection(c.id())))
                        .unixSocket(socket)
                        .faults(faults)
                        .build()
                        .start()) {
            String uri = "nbd+unix:///?socket=" + socket;
            CopyOptions o =
                    new CopyOptions(
                            uri,
                            uri,
                            null,
                            CopyOptions.DEFAULT_REQUESTS,
                            CopyOptions.DEFAULT_REQUEST_SIZE,
                            extents,
                            false,
                            true,
                            false);
            result = new Copier(o, true, client).run(plan -> {});
        }
        Verdict v = Verdict.compute(d, ledger, 0, true, false, Duration.ZERO);
        assertTrue(v.dataBytes() > 0, "the disk has data");
        assertTrue(v.complete(), v.incompleteReason());
        assertTrue(v.noRejects(), v.toString());
        assertEquals(d.size(), result.size());
        return result;
    }

    /** Fails every read that reaches {@code from} or beyond with EIO. */
    private static final class FailingReads extends ForwardingDevice {
        private final long from;

        FailingReads(BlockDevice next, long from) {
            super(next);
            this.from = from;
        }

        private void check(long offset, int length) throws DeviceException {
            if (offset + length > from) {
                throw new DeviceException(Errno.EIO, "injected read error", offset);
            }
        }

        @Override
        public void read(long offset, int length, ByteBuf dst) throws DeviceException {
            check(offset, length);
            super.read(offset, length, dst);
        }

        @Override
        public ByteBuf readBuffer(long offset, int length, ByteBufAllocator alloc)
                throws DeviceException {
            check(offset, length);
            return super.readBuffer(offset, length, alloc);
        }
    }
}
