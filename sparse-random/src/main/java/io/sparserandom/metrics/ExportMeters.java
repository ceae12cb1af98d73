package io.sparserandom.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sparserandom.service.ServiceExport;
import io.sparserandom.service.ServiceExports;
import io.sparserandom.verifier.CoverageLedger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Service mode's meters per export, tagged {@code export=NAME}: registered when the export is made
 * and removed when it is forgotten, so there are never more label values than --max-exports. Each
 * is read from the export's ledger at scrape time; recording costs nothing.
 */
public final class ExportMeters implements ServiceExports.Listener {
    private final MeterRegistry registry;
    private final Map<String, Registered> meters = new ConcurrentHashMap<>();

    /** An export and its meters; a name made again replaces the entry of the export it had. */
    private record Registered(ServiceExport export, List<Meter> meters) {}

    public ExportMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public synchronized void made(ServiceExport e) {
        String name = e.name().name();
        Registered old = meters.remove(name);
        if (old != null) {
            old.meters().forEach(registry::remove);
        }
        Tags tags = Tags.of("export", name);
        meters.put(
                name,
                new Registered(
                        e,
                        List.of(
                                gauge(
                                        "sparse_random.export.connections",
                                        tags,
                                        e,
                                        x -> x.connections()),
                                ledger(
                                        "sparse_random.export.write.bytes",
                                        tags,
                                        e,
                                        CoverageLedger::writeBytes),
                                ledger(
                                        "sparse_random.export.write.requests",
                                        tags,
                                        e,
                                        CoverageLedger::writeRequests),
                                ledger(
                                        "sparse_random.export.zero.bytes",
                                        tags,
                                        e,
                                        CoverageLedger::zeroBytes),
                                ledger(
                                        "sparse_random.export.trim.bytes",
                                        tags,
                                        e,
                                        CoverageLedger::trimBytes),
                                ledger(
                                        "sparse_random.export.rejected",
                                        tags,
                                        e,
                                        CoverageLedger::rejectedCount))));
    }

    @Override
    public synchronized void forgotten(ServiceExport e) {
        Registered r = meters.get(e.name().name());
        if (r != null && r.export() == e) {
            meters.remove(e.name().name());
            r.meters().forEach(registry::remove);
        }
    }

    private Meter ledger(
            String name,
            Tags tags,
            ServiceExport e,
            java.util.function.ToLongFunction<CoverageLedger> value) {
        return gauge(name, tags, e, x -> value.applyAsLong(x.ledger()));
    }

    private Meter gauge(
            String name, Tags tags, ServiceExport e, ToDoubleFunction<ServiceExport> f) {
        return Gauge.builder(name, e, f).tags(tags).strongReference(true).register(registry);
    }
}
