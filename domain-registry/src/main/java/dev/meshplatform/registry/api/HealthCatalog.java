package dev.meshplatform.registry.api;

import java.time.Instant;

/** The SLO states the registry's evaluator keeps for every served product major. */
public interface HealthCatalog {

    /**
     * The health of a product's served majors, with at most {@code transitionLimit} transitions per major, those at
     * or after {@code since} (null: any). The product must exist.
     */
    ProductHealth health(String domain, String product, Instant since, int transitionLimit);
}
