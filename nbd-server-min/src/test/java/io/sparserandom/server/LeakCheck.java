package io.sparserandom.server;

import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes a Netty buffer leak fail the test class. Registered for every class through
 * META-INF/services and junit-platform.properties, so its factory is installed before Netty's
 * buffer classes create their leak detectors. After each class it forces garbage collection and
 * allocates tracked buffers (detection happens on allocation) and fails if any leak was reported.
 */
public final class LeakCheck implements AfterAllCallback {
    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(
                new ResourceLeakDetectorFactory() {
                    // Netty 4.2 deprecates this method but it is still the factory's one
                    // abstract method, so a factory cannot avoid implementing it.
                    @Override
                    @SuppressWarnings("deprecation")
                    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                            Class<T> resource, int samplingInterval, long maxActive) {
                        return new Recording<>(resource, samplingInterval);
                    }
                });
    }

    private static final class Recording<T> extends ResourceLeakDetector<T> {
        Recording(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add(resourceType + " leak:" + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add(resourceType + " leak (untraced)");
            super.reportUntracedLeak(resourceType);
        }
    }

    /**
     * Installs the recording detector (the static initializer does it) for tests that do not run
     * under JUnit Jupiter, such as jqwik properties; call before any buffer is allocated.
     */
    static void install() {
        // nothing more: loading this class installed the factory
    }

    /** Forces detection and returns (and forgets) the leaks reported so far. */
    static List<String> collectLeaks() throws InterruptedException {
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(40);
            for (int i = 0; i < 64; i++) {
                ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                a.release();
                ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
                b.release();
                ByteBuf c = PooledByteBufAllocator.DEFAULT.heapBuffer(16);
                c.release();
            }
        }
        List<String> out = new ArrayList<>();
        String s;
        while ((s = LEAKS.poll()) != null) {
            out.add(s);
        }
        return out;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        List<String> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            fail(
                    leaks.size()
                            + " Netty buffer leak(s) in "
                            + context.getDisplayName()
                            + ":\n"
                            + String.join("\n", leaks));
        }
    }
}
