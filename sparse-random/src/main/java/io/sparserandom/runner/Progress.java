package io.sparserandom.runner;

import io.sparserandom.reports.Format;
import java.util.HashMap;
import java.util.Map;

/**
 * The live progress line of a benchmark on a terminal: which run, the bytes the server has verified
 * so far, and estimates of the time left for this run and for the whole benchmark.
 *
 * <p>A tool's total is the bytes it had verified in its previous run of the same sweep point (a
 * copy tool sends the same writes and zeroes every time), so the warm-up shows bytes only and every
 * later run has a fraction and an ETA. The whole benchmark's ETA is this run's time left plus the
 * runs still to come at the mean time of the runs so far.
 */
final class Progress {
    private final int totalRuns;
    private final Map<String, Long> lastTotal = new HashMap<>();
    private int done;
    private double secondsDone;

    Progress(int totalRuns) {
        this.totalRuns = totalRuns;
    }

    /** The line to print over the previous one ({@code \r}, clear to end of line, text). */
    String line(String label, String name, double elapsed, long verified) {
        StringBuilder s = new StringBuilder("\r\033[K");
        s.append('[').append(done + 1).append('/').append(totalRuns).append("] ").append(label);
        s.append("  ").append(Format.seconds(elapsed)).append("  ");
        s.append(Format.bytes(verified)).append(" verified");
        Long total = lastTotal.get(name);
        double left = Double.NaN;
        if (total != null && total > 0) {
            double fraction = Math.min(0.999, (double) verified / total);
            s.append(" of ").append(Format.bytes(total));
            s.append(" (").append(Math.round(fraction * 100)).append(" %)");
            if (fraction > 0.01) {
                left = Math.max(0, elapsed / fraction - elapsed);
                s.append("  ETA ").append(Format.seconds(Math.round(left)));
            }
        }
        if (done > 0) {
            double thisRun = Double.isNaN(left) ? 0 : left;
            double all = thisRun + (totalRuns - done - 1) * (secondsDone / done);
            s.append("  all done in ").append(Format.seconds(Math.round(all)));
        }
        return s.toString();
    }

    /** Records a finished run. */
    void finished(String name, double wallSeconds, long verified) {
        done++;
        secondsDone += wallSeconds;
        if (verified > 0) {
            lastTotal.put(name, verified);
        }
    }
}
