package io.sparserandom.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Several threads reading one disk at once see the same bytes as a single thread. */
class ConcurrencyTest {
    @Test
    void parallelReadsAgreeWithSerialReads() throws Exception {
        for (DiskParams.Model m : DiskParams.Model.values()) {
            DiskParams p = new DiskParams(64L << 20, 21, 30, 64 * 1024, true, m);
            SparseRandomDisk d = SparseRandomDisk.create(p);
            byte[] whole = SparseRandomDiskTest.read(d, 0, (int) p.size());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int seed = t;
                    fs.add(
                            pool.submit(
                                    () -> {
                                        SplittableRandom rnd = new SplittableRandom(seed);
                                        for (int i = 0; i < 300; i++) {
                                            int len = 1 + rnd.nextInt(100_000);
                                            int off = rnd.nextInt(whole.length - len);
                                            byte[] got = SparseRandomDiskTest.read(d, off, len);
                                            assertArrayEquals(
                                                    java.util.Arrays.copyOfRange(
                                                            whole, off, off + len),
                                                    got);
                                            if (d.mismatch(
                                                            off,
                                                            io.netty.buffer.Unpooled.wrappedBuffer(
                                                                    got))
                                                    != -1) {
                                                throw new AssertionError("mismatch at " + off);
                                            }
                                        }
                                        return null;
                                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
