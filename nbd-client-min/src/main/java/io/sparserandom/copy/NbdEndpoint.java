package io.sparserandom.copy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sparserandom.client.Extent;
import io.sparserandom.client.NbdClient;
import io.sparserandom.client.NbdClientOptions;
import io.sparserandom.client.NbdConnectionPool;
import io.sparserandom.client.NbdDirectConnection;
import io.sparserandom.client.NbdExportInfo;
import io.sparserandom.client.NbdUri;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An NBD export as a copy endpoint, over one or (with CAN_MULTI_CONN) several connections: Netty
 * {@link NbdClient}s, or {@link NbdDirectConnection}s on the copy's {@link DirectLanes} (connection
 * i on lane i's loop, run by worker i).
 */
public final class NbdEndpoint implements CopyEndpoint {
    /** Largest WRITE_ZEROES we send: well inside the u32 length, aligned to any block size. */
    static final long MAX_ZERO = 1L << 31;

    /**
     * The same with extended headers, where effect lengths have 64 bits: a run of any length is one
     * request (2^62 keeps offset + length clear of overflow).
     */
    static final long MAX_ZERO_EXTENDED = 1L << 62;

    private static final ByteBuf ZEROES =
            Unpooled.unreleasableBuffer(
                    Unpooled.directBuffer(1 << 20).writeZero(1 << 20).asReadOnly());

    private final NbdUri uri;
    private final NbdClientOptions options;
    private NbdConnectionPool pool; // null on the direct path
    private final DirectLanes lanes; // null on the Netty path
    private final List<NbdDirectConnection> direct = new ArrayList<>();

    private NbdEndpoint(NbdUri uri, NbdClientOptions options, NbdConnectionPool pool) {
        this.uri = uri;
        this.options = options;
        this.pool = pool;
        this.lanes = null;
    }

    private NbdEndpoint(NbdUri uri, NbdClientOptions options, DirectLanes lanes)
            throws IOException {
        this.uri = uri;
        this.options = options;
        this.lanes = lanes;
        direct.add(NbdDirectConnection.connect(uri, options, lanes.open(0)));
    }

    /**
     * Connects once (the handshake tells us size and flags); more connections come with {@link
     * #extendConnections}.
     */
    public static NbdEndpoint open(NbdUri uri, NbdClientOptions options) throws IOException {
        return new NbdEndpoint(uri, options, NbdConnectionPool.open(uri, options, 1));
    }

    /** As {@link #open}, on the direct data path. */
    static NbdEndpoint openDirect(NbdUri uri, NbdClientOptions options, DirectLanes lanes)
            throws IOException {
        return new NbdEndpoint(uri, options, lanes);
    }

    public NbdExportInfo info() {
        return pool != null ? pool.info() : direct.get(0).info();
    }

    @Override
    public long size() {
        return info().size();
    }

    @Override
    public String describe() {
        return uri + (info().extendedHeaders() ? " (extended headers)" : "");
    }

    @Override
    public int connections() {
        return pool != null ? pool.size() : direct.size();
    }

    @Override
    public int extendConnections(int wanted) throws IOException {
        if (pool == null) {
            for (int i = direct.size(); i < wanted && supportsMultiConn(); i++) {
                direct.add(NbdDirectConnection.connect(uri, options, lanes.open(i)));
            }
            return direct.size();
        }
        if (wanted > pool.size() && supportsMultiConn()) {
            NbdClient first = pool.get(0);
            pool = NbdConnectionPool.extend(first, options, wanted);
        }
        return pool.size();
    }

    @Override
    public boolean supportsMultiConn() {
        return info().canMultiConn();
    }

    @Override
    public long maxRequestLength() {
        return Math.min(info().maxBlockSize(), 32L << 20);
    }

    @Override
    public long maxZeroLength() {
        if (!info().canZero()) {
            return ZEROES.capacity();
        }
        return info().extendedHeaders() ? MAX_ZERO_EXTENDED : MAX_ZERO;
    }

    @Override
    public boolean canExtents() {
        return info().metaContext();
    }

    @Override
    public boolean blocking() {
        return false;
    }

    @Override
    public CompletableFuture<ByteBuf> read(int lane, long offset, int length) {
        if (pool == null) {
            return direct.get(lane).read(offset, length);
        }
        return pool.get(lane).readAsync(offset, length);
    }

    @Override
    public CompletableFuture<Void> write(int lane, long offset, ByteBuf data) {
        if (pool == null) {
            return direct.get(lane).write(offset, data, 0);
        }
        return pool.get(lane).writeAsync(offset, data, false);
    }

    @Override
    public CompletableFuture<Void> zero(int lane, long offset, long length) {
        if (pool == null) {
            NbdDirectConnection c = direct.get(lane);
            return info().canZero()
                    ? c.zero(offset, length, 0)
                    : c.write(offset, ZEROES.retainedSlice(0, (int) length), 0);
        }
        NbdClient c = pool.get(lane);
        if (c.info().canZero()) {
            return c.zeroAsync(offset, length, false, false);
        }
        // No WRITE_ZEROES: write zeroes (the engine keeps these at most maxZeroLength long).
        return c.writeAsync(offset, ZEROES.retainedSlice(0, (int) length), false);
    }

    @Override
    public List<Extent> extents(int lane, long offset, long length) throws IOException {
        long max = info().extendedHeaders() ? info().maxEffectLength() : MAX_ZERO;
        if (pool == null) {
            return lanes.loop(lane)
                    .await(direct.get(lane).blockStatus(offset, Math.min(length, max)));
        }
        return pool.get(lane).blockStatus(offset, Math.min(length, max), false);
    }

    @Override
    public void flush() throws IOException {
        // With multi-conn, a flush on one connection covers writes completed on all of them.
        if (info().canFlush() && pool == null) {
            lanes.loop(0).await(direct.get(0).flush());
        } else if (info().canFlush()) {
            pool.get(0).flush();
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
        direct.forEach(NbdDirectConnection::close);
    }
}
