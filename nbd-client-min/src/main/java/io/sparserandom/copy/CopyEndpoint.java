package io.sparserandom.copy;

import io.netty.buffer.ByteBuf;
import io.sparserandom.client.Extent;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One side of a copy, as the engine sees it (NBD export, local file, ...). Calls take a {@code
 * lane}: the worker's index, which an endpoint with several connections maps to one of them.
 */
public interface CopyEndpoint extends AutoCloseable {
    /** Size in bytes. */
    long size();

    /** Human-readable name for the plan and for errors. */
    String describe();

    /** Parallel connections (lanes) this endpoint has open. */
    int connections();

    /**
     * Opens more connections, up to {@code wanted}, when the endpoint allows it; returns the count.
     */
    int extendConnections(int wanted) throws IOException;

    /**
     * Whether the endpoint may run several connections safely (NBD: CAN_MULTI_CONN; files: yes).
     */
    boolean supportsMultiConn();

    /** Largest single read or write. */
    long maxRequestLength();

    /** Largest single zero request. */
    long maxZeroLength();

    /** True when {@link #extents} can report holes (otherwise everything is data). */
    boolean canExtents();

    /**
     * True when read/write run on the calling thread (plain file I/O): the engine then keeps such
     * calls off network I/O threads.
     */
    boolean blocking();

    /** The caller owns (and releases) the buffer. */
    CompletableFuture<ByteBuf> read(int lane, long offset, int length);

    /** Takes ownership of {@code data}. */
    CompletableFuture<Void> write(int lane, long offset, ByteBuf data);

    /** Makes the range read as zeroes. */
    CompletableFuture<Void> zero(int lane, long offset, long length);

    /** Extents covering a non-empty prefix of the range (never past it). */
    List<Extent> extents(int lane, long offset, long length) throws IOException;

    /** Makes written data durable. */
    void flush() throws IOException;

    @Override
    void close();
}
