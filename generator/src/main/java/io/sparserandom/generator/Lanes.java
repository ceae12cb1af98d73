package io.sparserandom.generator;

/**
 * Whether {@link LaneFill} can be used: the JVM was started with the incubating vector module
 * ({@code --add-modules jdk.incubator.vector}) and its vectors hold at least four longs. Kept apart
 * from LaneFill so that nothing loads the vector classes when the module is absent.
 */
final class Lanes {
    /** Lanes per vector fill, or 0 to generate one block at a time. */
    static final int AVAILABLE = probe();

    private Lanes() {}

    private static int probe() {
        if (Boolean.getBoolean("sparse-random.no-vector")
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return 0;
        }
        try {
            int lanes = LaneFill.lanes();
            return lanes >= 4 ? lanes : 0;
        } catch (LinkageError e) {
            return 0;
        }
    }
}
