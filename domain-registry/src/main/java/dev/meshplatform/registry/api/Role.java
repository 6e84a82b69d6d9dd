package dev.meshplatform.registry.api;

/**
 * The roles of DESIGN.md's security table. Every role but the admin and the metrics reader belongs to one domain.
 * {@code METRICS_READER} is a scraper's (Prometheus): it reads the metrics endpoint and acts on nothing in the mesh.
 * {@code RUN} is the platform's own: a product's run reading its input products as {reading domain, RUN, purpose}; no
 * API key or token ever has it.
 */
public enum Role {
    PLATFORM_ADMIN, DOMAIN_OWNER, DOMAIN_MEMBER, CONSUMER, METRICS_READER, RUN;

    public boolean isDomainScoped() {
        return this != PLATFORM_ADMIN && this != METRICS_READER;
    }

    /** Whether a key or a token may carry this role: every role but {@code RUN}. */
    public boolean isCredential() {
        return this != RUN;
    }

    /**
     * Whether the role may act in the mesh at all (domains, products, keys, data, governance): every role but
     * {@code METRICS_READER}, whose principal counts as no principal anywhere but the metrics endpoint.
     */
    public boolean actsInMesh() {
        return this != METRICS_READER;
    }
}
