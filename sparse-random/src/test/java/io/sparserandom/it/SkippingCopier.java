package io.sparserandom.it;

import io.netty.buffer.ByteBuf;
import io.sparserandom.client.Extent;
import io.sparserandom.client.NbdClient;
import io.sparserandom.client.NbdUri;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A deliberately broken copier for the tests, on our Java client: copies every data run of the
 * server onto itself, except one run in {@code every} (the runs whose index modulo {@code every}
 * equals {@code which}), prints each skipped run as {@code SKIPPED=offset+length}, and exits 0 like
 * a tool that loses data silently.
 *
 * <p>Usage: {@code SkippingCopier URI EVERY WHICH}
 */
public final class SkippingCopier {
    private static final int BATCH = 64;
    private static final long STATUS_SPAN = 1L << 30;

    private SkippingCopier() {}

    public static void main(String[] args) throws Exception {
        long every = Long.parseLong(args[1]);
        long which = Long.parseLong(args[2]);
        try (NbdClient c = NbdClient.connect(NbdUri.parse(args[0]))) {
            long size = c.size();
            List<long[]> batch = new ArrayList<>();
            long runIndex = 0;
            long runStart = -1;
            long pos = 0;
            while (pos < size) {
                for (Extent e : c.blockStatus(pos, Math.min(STATUS_SPAN, size - pos), false)) {
                    long end = Math.min(size, pos + e.length());
                    boolean data = !e.zero() && !e.hole();
                    if (data && runStart < 0) {
                        runStart = pos;
                    }
                    // A run ends at a hole or at the disk's end; block status may split a run.
                    if (runStart >= 0 && (!data || end == size)) {
                        long runEnd = data ? end : pos;
                        if (runIndex % every == which) {
                            System.out.println("SKIPPED=" + runStart + "+" + (runEnd - runStart));
                        } else {
                            for (long a = runStart; a < runEnd; a += 32 << 20) {
                                batch.add(new long[] {a, Math.min(runEnd, a + (32 << 20)) - a});
                            }
                        }
                        runIndex++;
                        runStart = -1;
                        if (batch.size() >= BATCH) {
                            copy(c, batch);
                        }
                    }
                    pos = end;
                }
            }
            copy(c, batch);
            System.out.println("RUNS=" + runIndex);
        }
    }

    /** Reads the batch with requests in flight together, then writes it back the same way. */
    private static void copy(NbdClient c, List<long[]> batch) throws Exception {
        List<CompletableFuture<ByteBuf>> reads = new ArrayList<>();
        for (long[] r : batch) {
            reads.add(c.readAsync(r[0], (int) r[1]));
        }
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            writes.add(c.writeAsync(batch.get(i)[0], NbdClient.await(reads.get(i)), false));
        }
        for (CompletableFuture<Void> w : writes) {
            NbdClient.await(w);
        }
        batch.clear();
    }
}
