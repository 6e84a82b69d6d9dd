package dev.meshplatform.registry.api;

import java.time.Instant;
import java.util.Optional;

/**
 * Asked by the registry's SLO evaluator for what a module observed of a product major: ingestion answers for
 * source-aligned products (those with a Kafka input), processing for derived ones. The registry depends on neither.
 */
public interface SloSignals {

    /**
     * The signal of {@code major} at {@code now}, with {@code version} the newest served version (its descriptor
     * says whether this module feeds it); empty when this module does not feed the product.
     */
    Optional<SloSignal> signal(ProductMajor major, ProductVersionView version, Instant now);
}
