package io.sparserandom.copy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Zero runs that touch a work-range boundary, collected from all workers and merged with their
 * neighbours, so that a hole spanning many ranges becomes a few big zero requests instead of one
 * per range. Thread-safe.
 */
final class ZeroRuns {
    private final TreeMap<Long, Long> runs = new TreeMap<>(); // start -> end (exclusive)

    synchronized void add(long start, long end) {
        Map.Entry<Long, Long> before = runs.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
            runs.remove(before.getKey());
        }
        Map.Entry<Long, Long> after = runs.ceilingEntry(start);
        while (after != null && after.getKey() <= end) {
            end = Math.max(end, after.getValue());
            runs.remove(after.getKey());
            after = runs.ceilingEntry(start);
        }
        runs.put(start, end);
    }

    /** The merged runs as [start, end) pairs, in order. */
    synchronized List<long[]> runs() {
        List<long[]> out = new ArrayList<>(runs.size());
        runs.forEach((s, e) -> out.add(new long[] {s, e}));
        return out;
    }
}
