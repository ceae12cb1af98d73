package io.sparserandom.copy;

import io.netty.buffer.ByteBuf;
import io.sparserandom.client.Extent;
import io.sparserandom.client.NbdClientOptions;
import io.sparserandom.client.NbdUri;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The copying engine. Workers (one per connection) take fixed work ranges in turn from a shared
 * cursor; for each range they ask the source for extents, copy data (read, then write; at most
 * {@code requests} operations in flight per worker) and turn holes into zero requests on the
 * target. A hole inside a range is zeroed at once; a hole touching a range boundary goes to a
 * shared {@link ZeroRuns}, where it merges with the holes of neighbouring ranges, and is zeroed in
 * a second pass in requests up to the target's maximum (2 GiB for NBD). A worker whose range ends
 * in a hole that goes on past it, when no other worker has claimed the next range, asks about the
 * rest of the disk and claims the whole hole: with extended headers a hole of exabytes costs one
 * extents request. The engine sees only {@link CopyEndpoint}.
 *
 * <p>Between two NBD exports the workers take the direct data path: worker i owns lane i's source
 * and target connection ({@link DirectLanes}) and, instead of blocking for a window permit, runs
 * their I/O itself, so replies complete on the worker's thread and no request crosses threads.
 *
 * <p>Use: {@code new Copier(options).run(plan -> ...)}; {@link #bytesDone()} may be polled for
 * progress from another thread.
 */
public final class Copier {
    /**
     * Whether a copy between two NBD exports takes the direct data path ({@link DirectLanes}: each
     * worker drives its own connections) instead of the Netty client. System property {@code
     * sparserandom.copier.direct}.
     */
    static final boolean DIRECT =
            Boolean.parseBoolean(System.getProperty("sparserandom.copier.direct", "true"));

    private final CopyOptions options;
    private final boolean direct;
    private final NbdClientOptions client;
    private DirectLanes lanes; // set for the length of run() when on the direct path
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong copied = new AtomicLong();
    private final AtomicLong zeroed = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile long total;

    public Copier(CopyOptions options) {
        this(options, DIRECT, NbdClientOptions.DEFAULTS);
    }

    /** For tests: the data path and the negotiation (e.g. without extended headers) by hand. */
    Copier(CopyOptions options, boolean direct, NbdClientOptions client) {
        this.options = options;
        this.direct = direct;
        this.client = client;
    }

    /** Bytes of the disk handled so far (copied, zeroed or skipped). */
    public long bytesDone() {
        return done.get();
    }

    /** Disk size once known, else 0. */
    public long totalBytes() {
        return total;
    }

    /**
     * Opens both ends, resolves the plan (handed to {@code onPlan} before any data moves), copies.
     *
     * @throws IllegalArgumentException for an unusable SRC or DST (bad URI)
     * @throws CopyException when opening or copying fails
     */
    public CopyResult run(Consumer<CopyPlan> onPlan) throws CopyException {
        long t0 = System.nanoTime();
        CopyEndpoint src = null;
        CopyEndpoint dst = null;
        lanes =
                direct && options.source().contains("://") && options.target().contains("://")
                        ? new DirectLanes()
                        : null;
        try {
            src = openSource(options.source());
            total = src.size();
            dst = openTarget(options.target(), src.size());
            if (dst.size() < src.size()) {
                throw new CopyException(
                        "target "
                                + dst.describe()
                                + " ("
                                + dst.size()
                                + " bytes) is smaller than source "
                                + src.describe()
                                + " ("
                                + src.size()
                                + " bytes)",
                        null);
            }
            CopyPlan plan = CopyPlan.resolve(options, src, dst);
            onPlan.accept(plan);
            src.extendConnections(plan.connections());
            dst.extendConnections(plan.connections());
            copy(plan, src, dst);
            if (plan.flush()) {
                dst.flush();
            }
            return new CopyResult(
                    src.size(),
                    copied.get(),
                    zeroed.get(),
                    Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            throw new CopyException("copy failed: " + e.getMessage(), e);
        } finally {
            if (dst != null) {
                dst.close();
            }
            if (src != null) {
                src.close();
            }
            if (lanes != null) {
                lanes.close();
            }
        }
    }

    private NbdClientOptions clientOptions() {
        return client.withMaxInFlight(options.requests());
    }

    private CopyEndpoint openSource(String spec) throws IOException {
        if (spec.contains("://")) {
            NbdClientOptions o = clientOptions().withMetaContext(options.extents());
            return lanes != null
                    ? NbdEndpoint.openDirect(NbdUri.parse(spec), o, lanes)
                    : NbdEndpoint.open(NbdUri.parse(spec), o);
        }
        return FileEndpoint.openSource(Path.of(spec));
    }

    private CopyEndpoint openTarget(String spec, long size) throws IOException {
        if (spec.contains("://")) {
            NbdClientOptions o = clientOptions().withMetaContext(false);
            NbdEndpoint e =
                    lanes != null
                            ? NbdEndpoint.openDirect(NbdUri.parse(spec), o, lanes)
                            : NbdEndpoint.open(NbdUri.parse(spec), o);
            if (e.info().readOnly()) {
                e.close();
                throw new IOException("target " + spec + " is read-only");
            }
            return e;
        }
        return FileEndpoint.openTarget(Path.of(spec), size);
    }

    private void copy(CopyPlan plan, CopyEndpoint src, CopyEndpoint dst) throws CopyException {
        AtomicLong cursor = new AtomicLong();
        ZeroRuns boundaryZeroes = new ZeroRuns();
        // Writes to a blocking target must not run on a network I/O thread: hop to this pool.
        ExecutorService hop =
                dst.blocking() && !src.blocking()
                        ? Executors.newFixedThreadPool(plan.connections(), daemon("copy-write"))
                        : null;
        ExecutorService workers =
                Executors.newFixedThreadPool(plan.connections(), daemon("copy-worker"));
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int lane = 0; lane < plan.connections(); lane++) {
                Worker w = new Worker(lane, plan, src, dst, cursor, hop, boundaryZeroes);
                fs.add(
                        workers.submit(
                                () -> {
                                    w.run();
                                    return null;
                                }));
            }
            awaitAll(fs);
            if (failure.get() == null) {
                // Second pass: the merged zero runs that crossed range boundaries, spread over the
                // lanes.
                List<long[]> runs = boundaryZeroes.runs();
                fs.clear();
                for (int lane = 0; lane < plan.connections(); lane++) {
                    Worker w = new Worker(lane, plan, src, dst, cursor, hop, null);
                    int first = lane;
                    fs.add(
                            workers.submit(
                                    () -> {
                                        for (int i = first;
                                                i < runs.size() && failure.get() == null;
                                                i += plan.connections()) {
                                            w.zeroRun(runs.get(i)[0], runs.get(i)[1]);
                                        }
                                        w.drain();
                                        return null;
                                    }));
                }
                awaitAll(fs);
            }
        } finally {
            workers.shutdownNow();
            if (hop != null) {
                hop.shutdownNow();
            }
        }
        Throwable t = failure.get();
        if (t != null) {
            Throwable cause =
                    t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            throw new CopyException("copy failed: " + cause.getMessage(), cause);
        }
    }

    private void awaitAll(List<Future<?>> fs) {
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failure.compareAndSet(null, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, e);
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One worker: one lane (connection index), its own bound on operations in flight. */
    private final class Worker {
        private final int lane;
        private final CopyPlan plan;
        private final CopyEndpoint src;
        private final CopyEndpoint dst;
        private final AtomicLong cursor;
        private final ExecutorService hop;
        private final Semaphore window;
        private final ZeroRuns boundaryZeroes;
        private long zeroStart = -1;
        private long zeroEnd = -1;
        private long rangeStart;
        private long rangeEnd;

        Worker(
                int lane,
                CopyPlan plan,
                CopyEndpoint src,
                CopyEndpoint dst,
                AtomicLong cursor,
                ExecutorService hop,
                ZeroRuns boundaryZeroes) {
            this.boundaryZeroes = boundaryZeroes;
            this.lane = lane;
            this.plan = plan;
            this.src = src;
            this.dst = dst;
            this.cursor = cursor;
            this.hop = hop;
            this.window = new Semaphore(plan.requestsPerConnection());
        }

        void run() throws Exception {
            long size = plan.size();
            long start = cursor.getAndAdd(plan.workRange());
            while (start < size && failure.get() == null) {
                rangeStart = start;
                rangeEnd = Math.min(start + plan.workRange(), size);
                copyRange();
                flushZeroes();
                start = cursor.getAndAdd(plan.workRange());
            }
            drain();
        }

        /** Waits for everything this worker has in flight. */
        void drain() {
            if (lanes != null) {
                while (window.availablePermits() < plan.requestsPerConnection()) {
                    drive();
                }
                return;
            }
            window.acquireUninterruptibly(plan.requestsPerConnection());
            window.release(plan.requestsPerConnection());
        }

        /**
         * Copies [rangeStart, rangeEnd). The source is asked about the rest of the disk, not just
         * the range, so that a hole running past the range end comes with its full length; the
         * worker then claims what no other worker has claimed of that hole ({@link #claimHole}),
         * and a disk that is mostly holes is mapped in a few requests instead of one per work range
         * (with extended headers one request may cover 2^63 bytes).
         */
        private void copyRange() throws Exception {
            long size = plan.size();
            long pos = rangeStart;
            boolean tailHole = false; // the range ends in a hole that the last reply may have cut
            while ((pos < rangeEnd || tailHole) && pos < size && failure.get() == null) {
                tailHole = false;
                long asked = plan.extents() ? size - pos : rangeEnd - pos;
                List<Extent> extents =
                        plan.extents()
                                ? src.extents(lane, pos, asked)
                                : List.of(new Extent(asked, 0));
                if (extents.isEmpty()) {
                    throw new IOException("source returned no extents at offset " + pos);
                }
                long covered = pos;
                for (Extent e : extents) {
                    covered += e.length();
                }
                for (Extent e : extents) {
                    long end = Math.min(pos + e.length(), size);
                    if (e.zero() && end > rangeEnd) {
                        if (pos < rangeEnd) {
                            addZero(pos, rangeEnd - pos);
                        }
                        tailHole = claimHole(end) && end == covered && end < size;
                        pos = rangeEnd;
                        break;
                    }
                    long len = Math.min(end, rangeEnd) - pos;
                    if (len <= 0) {
                        break;
                    }
                    if (e.zero()) {
                        addZero(pos, len);
                    } else {
                        flushZeroes();
                        copyData(pos, len);
                    }
                    pos += len;
                    if (pos == rangeEnd) {
                        break; // pos no longer tracks the extents once one is cut at the range end
                    }
                }
            }
        }

        /**
         * Our range ends inside a hole that goes on to {@code holeEnd}: takes the part of
         * [rangeEnd, holeEnd) that no worker has claimed yet (workers that took ranges in between
         * map them themselves) by moving the shared cursor to holeEnd, and makes that part our
         * range. Returns whether anything was claimed.
         */
        private boolean claimHole(long holeEnd) {
            long from;
            do {
                from = cursor.get();
                if (from >= holeEnd) {
                    return false;
                }
            } while (!cursor.compareAndSet(from, holeEnd));
            if (from != rangeEnd) {
                flushZeroes(); // the run so far ends at our old range end: a boundary run
                rangeStart = from;
            }
            rangeEnd = holeEnd;
            addZero(from, holeEnd - from);
            return true;
        }

        private void addZero(long offset, long length) {
            if (zeroEnd != offset) {
                flushZeroes();
                zeroStart = offset;
            }
            zeroEnd = offset + length;
        }

        private void flushZeroes() {
            if (zeroStart < 0) {
                return;
            }
            long offset = zeroStart;
            long end = zeroEnd;
            zeroStart = zeroEnd = -1;
            if (plan.targetIsZero()) {
                zeroed.addAndGet(end - offset);
                done.addAndGet(end - offset);
                return;
            }
            if (boundaryZeroes != null && (offset == rangeStart || end == rangeEnd)) {
                boundaryZeroes.add(offset, end); // may merge with neighbouring ranges' runs
                return;
            }
            zeroRun(offset, end);
        }

        void zeroRun(long offset, long end) {
            long max = dst.maxZeroLength();
            while (offset < end && failure.get() == null) {
                long n = Math.min(max, end - offset);
                acquire();
                track(dst.zero(lane, offset, n), n, zeroed);
                offset += n;
            }
        }

        private void copyData(long offset, long length) {
            long end = offset + length;
            while (offset < end && failure.get() == null) {
                int n = (int) Math.min(plan.requestSize(), end - offset);
                long at = offset;
                acquire();
                CompletableFuture<ByteBuf> read = src.read(lane, at, n);
                CompletableFuture<Void> written =
                        hop != null
                                ? read.thenComposeAsync(buf -> dst.write(lane, at, buf), hop)
                                : read.thenCompose(buf -> dst.write(lane, at, buf));
                track(written, n, copied);
                offset += n;
            }
        }

        private void acquire() {
            if (lanes == null) {
                window.acquireUninterruptibly();
                return;
            }
            while (!window.tryAcquire()) {
                drive();
            }
        }

        /** Direct path: runs this lane's I/O, which is what returns permits. */
        private void drive() {
            if (!lanes.loop(lane).runOnce()) {
                // Every completion comes from the loop: with nothing in flight, none is coming.
                throw new IllegalStateException("lane " + lane + " waits with nothing in flight");
            }
        }

        private void track(CompletableFuture<Void> f, long n, AtomicLong counter) {
            f.whenComplete(
                    (v, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        } else {
                            counter.addAndGet(n);
                            done.addAndGet(n);
                        }
                        window.release();
                    });
        }
    }
}
