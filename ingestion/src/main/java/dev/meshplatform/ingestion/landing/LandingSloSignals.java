package dev.meshplatform.ingestion.landing;

import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.SloSignal;
import dev.meshplatform.registry.api.SloSignals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The SLO signal of a source-aligned product (one with a Kafka input): the Kafka timestamp of the newest event
 * committed to its raw table, and its events landed out of those landed or dead-lettered over the last 24 h.
 */
final class LandingSloSignals implements SloSignals {

    static final Duration WINDOW = Duration.ofHours(24);

    private final LandingJobStore store;

    LandingSloSignals(LandingJobStore store) {
        this.store = store;
    }

    @Override
    public Optional<SloSignal> signal(ProductMajor major, ProductVersionView version, Instant now) {
        if (version.descriptor().kafkaInput().isEmpty()) {
            return Optional.empty();
        }
        LandingJobStore.Arrivals arrivals = store.arrivals(major.key(), now.minus(WINDOW));
        return Optional.of(new SloSignal(arrivals.newestEventAt(), arrivals.landed(),
                arrivals.landed() + arrivals.deadLettered(), "events"));
    }
}
