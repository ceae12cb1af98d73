package io.sparserandom.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdRequest;
import io.sparserandom.protocol.ReadPause;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-side faults of one connection, between the request decoder and the {@link
 * TransmissionHandler}: {@code --disconnect-after}, {@code --delay} and {@code --rate}. A request
 * that must wait is held and handed on by a task scheduled on the connection's event loop, so
 * nothing sleeps and other requests and connections go on. Holding the request rather than its
 * reply gives the client the same latency and keeps the transmission handler unaware of time.
 *
 * <p>Held writes carry their payload, so reading from the socket pauses while more than {@link
 * #MAX_HELD_BYTES} of them, or more than {@link #MAX_HELD_REQUESTS} requests, wait: a client
 * writing faster than {@code --rate} is slowed at the socket, not buffered, and what one connection
 * holds stays well inside the direct memory cap (nbdcopy keeps 64 requests of 256 KiB, 16 MiB, in
 * flight per connection). A disconnect request waits for the held requests, so they are answered.
 */
final class ServerFaultHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ServerFaultHandler.class);
    static final long MAX_HELD_BYTES = 16L << 20;
    static final int MAX_HELD_REQUESTS = 1024;

    private final FaultState state;
    private final long connection;
    private final Set<NbdRequest> held = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<NbdRequest> afterHeld = new ArrayList<>();
    private long heldBytes;
    private boolean pausedReads;

    ServerFaultHandler(FaultState state, long connection) {
        this.state = state;
        this.connection = connection;
    }

    private static long dataBytes(NbdRequest r) {
        return r.command() == NbdCommand.READ || r.command() == NbdCommand.WRITE ? r.length() : 0;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof NbdRequest r) || r.command() == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (r.command() == NbdCommand.DISC) {
            if (held.isEmpty()) {
                ctx.fireChannelRead(r);
            } else {
                afterHeld.add(r);
            }
            return;
        }
        long data = dataBytes(r);
        if (state.moveAndMaybeDrop(data)) {
            LOG.info(
                    "connection {}: --disconnect-after {} reached; dropping every connection",
                    connection,
                    state.faults().disconnectAfter());
            r.release();
            ctx.close();
            return;
        }
        long wait = state.faults().delay(r.command()).toNanos();
        wait += state.rateWait(data, System.nanoTime());
        if (wait <= 0) {
            ctx.fireChannelRead(r);
            return;
        }
        held.add(r);
        long payload = r.command() == NbdCommand.WRITE ? r.length() : 0;
        heldBytes += payload;
        if ((heldBytes > MAX_HELD_BYTES || held.size() > MAX_HELD_REQUESTS) && !pausedReads) {
            pausedReads = true;
            ReadPause.FAULTS.pause(ctx.channel());
        }
        ctx.executor().schedule(() -> release(ctx, r, payload), wait, TimeUnit.NANOSECONDS);
    }

    private void release(ChannelHandlerContext ctx, NbdRequest r, long payload) {
        if (!held.remove(r)) {
            return; // the connection closed meanwhile and released it
        }
        heldBytes -= payload;
        ctx.fireChannelRead(r);
        // The transmission handler flushes its replies once per read batch.
        ctx.fireChannelReadComplete();
        if (held.isEmpty() && !afterHeld.isEmpty()) {
            List<NbdRequest> later = new ArrayList<>(afterHeld);
            afterHeld.clear();
            later.forEach(ctx::fireChannelRead);
            ctx.fireChannelReadComplete();
        }
        if (pausedReads
                && heldBytes <= MAX_HELD_BYTES / 2
                && held.size() <= MAX_HELD_REQUESTS / 2) {
            pausedReads = false;
            // Reading resumes only if no other reason (replies unsent, payload budget) holds it.
            ReadPause.FAULTS.resume(ctx.channel());
        }
    }

    private void releaseAll() {
        held.forEach(NbdRequest::release);
        held.clear();
        afterHeld.forEach(NbdRequest::release);
        afterHeld.clear();
        heldBytes = 0;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseAll();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseAll();
    }
}
