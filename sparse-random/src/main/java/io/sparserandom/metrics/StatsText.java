package io.sparserandom.metrics;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.sparserandom.protocol.NbdCommand;
import java.util.Locale;

/** The --stats text: what the clients did, printed at exit. */
public final class StatsText {
    private StatsText() {}

    public static String format(ServerMetrics m) {
        StringBuilder sb = new StringBuilder("sparse-random stats:\n");
        sb.append(
                String.format(
                        Locale.ROOT,
                        "  connections opened: %d, most requests in flight: %d, errors: %d%n",
                        m.connections(),
                        m.maxInFlight(),
                        m.errors()));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "  bytes read %d, written %d, zeroed %d, trimmed %d%n",
                        m.bytesRead(),
                        m.bytesWritten(),
                        m.bytesZeroed(),
                        m.bytesTrimmed()));
        for (NbdCommand c : NbdCommand.values()) {
            long n = m.count(c);
            if (n == 0) {
                continue;
            }
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  %-13s %10d requests, mean %.0f bytes, max %.0f bytes%n",
                            c.name(),
                            n,
                            m.sizes(c).mean(),
                            m.sizes(c).max()));
            CountAtBucket[] buckets = m.sizes(c).takeSnapshot().histogramCounts();
            double prev = 0;
            StringBuilder h = new StringBuilder();
            for (CountAtBucket b : buckets) {
                long k = (long) (b.count() - prev);
                prev = b.count();
                if (k > 0) {
                    h.append(String.format(Locale.ROOT, " <=%s:%d", size((long) b.bucket()), k));
                }
            }
            long over = (long) (m.sizes(c).count() - prev);
            if (over > 0) {
                h.append(" larger:").append(over);
            }
            if (h.length() > 0) {
                sb.append("                sizes").append(h).append('\n');
            }
        }
        return sb.toString();
    }

    private static String size(long b) {
        if (b >= 1 << 20 && b % (1 << 20) == 0) {
            return (b >> 20) + "M";
        }
        if (b >= 1 << 10 && b % (1 << 10) == 0) {
            return (b >> 10) + "K";
        }
        return Long.toString(b);
    }
}
