package dev.meshplatform.registry.api;

import java.util.Optional;

/** Domains: the teams that own data products. */
public interface DomainCatalog {

    DomainView create(String name, DomainSpec spec);

    /** Replaces the domain's settable fields; {@code expectedRevision} (from If-Match) is checked when given. */
    DomainView update(String name, DomainSpec spec, Long expectedRevision);

    /** Deletes a domain that has no products; its API keys are revoked with it. */
    void delete(String name, Long expectedRevision);

    Optional<DomainView> find(String name);

    DomainView get(String name);

    PageResult<DomainView> list(int page, int size);
}
