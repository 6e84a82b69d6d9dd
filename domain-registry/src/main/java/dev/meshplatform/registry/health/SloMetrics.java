package dev.meshplatform.registry.health;

import dev.meshplatform.registry.api.ProductMajor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two gauges per product major and SLO, from the stored states (so every instance shows the same):
 * {@code mesh.slo.state} (0 MET, 1 AT_RISK, 2 BREACHED) and {@code mesh.slo.observed} (seconds of age, or percent).
 */
final class SloMetrics {

    private final MeterRegistry registry;
    private final Map<String, Shown> shown = new HashMap<>();

    SloMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    private static final class Shown {
        volatile double state;
        volatile double observed;
        List<Meter> meters;
    }

    synchronized void show(List<SloStateStore.Row> rows) {
        Map<String, Shown> now = new HashMap<>();
        for (SloStateStore.Row row : rows) {
            String key = row.major().key() + "#" + row.slo();
            Shown gauges = shown.remove(key);
            if (gauges == null) {
                gauges = register(row.major(), row.slo());
            }
            gauges.state = row.state().ordinal();
            gauges.observed = row.observed() == null ? Double.NaN : row.observed();
            now.put(key, gauges);
        }
        shown.values().forEach(gone -> gone.meters.forEach(registry::remove));
        shown.clear();
        shown.putAll(now);
    }

    private Shown register(ProductMajor major, String slo) {
        Shown gauges = new Shown();
        Tags tags = Tags.of("domain", major.domain(), "product", major.product(), "major",
                String.valueOf(major.major()), "slo", slo);
        gauges.meters = List.of(
                Gauge.builder("mesh.slo.state", gauges, g -> g.state).tags(tags)
                        .description("state of the SLO: 0 MET, 1 AT_RISK, 2 BREACHED").register(registry),
                Gauge.builder("mesh.slo.observed", gauges, g -> g.observed).tags(tags)
                        .description("observed value of the SLO: freshness in seconds of age, completeness in "
                                + "percent").register(registry));
        return gauges;
    }
}
