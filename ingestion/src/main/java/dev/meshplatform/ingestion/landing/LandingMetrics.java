package dev.meshplatform.ingestion.landing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** One landing job's Micrometer meters, tagged with its domain, product and major; removed when the job stops. */
final class LandingMetrics implements AutoCloseable {

    /** One help text for the one metric: Prometheus shows a metric's first description for every outcome. */
    private static final String RECORDS_HELP = "events the landing job handled, by outcome: landed (written to the "
            + "raw table) or dead_lettered (sent to the dead-letter topic)";

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    final Counter landed;
    final Counter deadLettered;
    final Timer commits;
    final AtomicLong lag = new AtomicLong();
    final AtomicLong lastCommitEpochMillis = new AtomicLong();

    LandingMetrics(MeterRegistry registry, String domain, String product, int major) {
        this.registry = registry;
        Tags tags = Tags.of("domain", domain, "product", product, "major", String.valueOf(major));
        landed = register(Counter.builder("mesh.landing.records").tags(tags).tag("outcome", "landed")
                .description(RECORDS_HELP).register(registry));
        deadLettered = register(Counter.builder("mesh.landing.records").tags(tags).tag("outcome", "dead_lettered")
                .description(RECORDS_HELP).register(registry));
        commits = register(Timer.builder("mesh.landing.commit").tags(tags)
                .description("time to write and commit one flush").register(registry));
        register(Gauge.builder("mesh.landing.lag", lag, AtomicLong::get).tags(tags)
                .description("events in Kafka not yet landed").register(registry));
        register(Gauge.builder("mesh.landing.last.commit", lastCommitEpochMillis, v -> v.get() / 1000.0).tags(tags)
                .baseUnit("seconds").description("epoch second of the last commit").register(registry));
    }

    private <M extends Meter> M register(M meter) {
        meters.add(meter);
        return meter;
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
