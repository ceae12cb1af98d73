package io.sparserandom.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The thread that waits runs the I/O: a selector over a few {@link NbdDirectConnection}s (for the
 * copier, source and target connection of one lane), driven by whoever waits for a reply. Replies
 * complete their futures on that thread, so a read's completion can queue the write of its data
 * without a hand-off to another thread (nbdcopy works the same way: one thread per connection pair,
 * polling both sockets).
 *
 * <p>Owned by one thread at a time; the owner may change between copy passes (the hand-over goes
 * through the executor that starts the next pass).
 */
public final class NbdDirectLoop implements AutoCloseable {
    /** Longest single wait; timeouts are checked at least this often. */
    private static final long TICK_MILLIS = 200;

    private final Selector selector;
    private final List<NbdDirectConnection> connections = new ArrayList<>();

    private NbdDirectLoop(Selector selector) {
        this.selector = selector;
    }

    public static NbdDirectLoop open() throws IOException {
        return new NbdDirectLoop(Selector.open());
    }

    SelectionKey register(SocketChannel ch, NbdDirectConnection c) throws IOException {
        connections.add(c);
        return ch.register(selector, SelectionKey.OP_READ, c);
    }

    /**
     * Sends what is queued, waits for the sockets (unless nothing is in flight) and handles every
     * reply that has arrived, completing futures on this thread. Returns false when nothing was in
     * flight, so that a caller waiting on something else does not spin here.
     */
    public boolean runOnce() {
        boolean work = false;
        for (NbdDirectConnection c : connections) {
            c.send();
            work |= c.hasWork();
        }
        if (!work) {
            return false;
        }
        try {
            selector.select(
                    k -> {
                        NbdDirectConnection c = (NbdDirectConnection) k.attachment();
                        if (k.isValid() && k.isReadable()) {
                            c.receive();
                        }
                        if (k.isValid() && k.isWritable()) {
                            c.send();
                        }
                    },
                    TICK_MILLIS);
        } catch (IOException e) {
            throw new UncheckedIOException("selector failed", e);
        }
        long now = System.nanoTime();
        for (NbdDirectConnection c : connections) {
            c.send(); // what the replies just handled have queued
            c.checkTimeout(now);
        }
        return true;
    }

    /** Runs the loop until {@code f} is complete, and returns its value. */
    public <T> T await(CompletableFuture<T> f) throws IOException {
        while (!f.isDone()) {
            if (!runOnce() && !f.isDone()) {
                throw new IllegalStateException("waiting for a request that is not in flight");
            }
        }
        return NbdClient.await(f);
    }

    /** Closes the selector; the connections are closed by their owners. */
    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
