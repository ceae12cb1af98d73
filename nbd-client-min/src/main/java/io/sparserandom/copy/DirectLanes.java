package io.sparserandom.copy;

import io.sparserandom.client.NbdDirectLoop;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@link NbdDirectLoop} per lane, shared by both ends of a copy: lane i's source and target
 * connections sit on loop i, and worker i runs it whenever it waits. Loops are opened while the
 * ends connect (on the thread that starts the copy), before any worker runs.
 */
final class DirectLanes implements AutoCloseable {
    private final List<NbdDirectLoop> loops = new ArrayList<>();

    /** The loop of {@code lane}, opened on first use. */
    NbdDirectLoop open(int lane) throws IOException {
        while (loops.size() <= lane) {
            loops.add(NbdDirectLoop.open());
        }
        return loops.get(lane);
    }

    NbdDirectLoop loop(int lane) {
        return loops.get(lane);
    }

    @Override
    public void close() {
        loops.forEach(NbdDirectLoop::close);
    }
}
