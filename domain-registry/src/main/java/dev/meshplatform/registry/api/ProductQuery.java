package dev.meshplatform.registry.api;

/**
 * Filters of the product catalog; null means any.
 *
 * @param text         case-insensitive substring of the name, title or description
 * @param releasedOnly only versions that left DRAFT count (readers outside the owning domain)
 * @param health       the product's worst SLO state over its served majors (see {@link ProductHealth})
 * @param sort         the order of the page
 */
public record ProductQuery(String domain, String tag, LifecycleStatus status, String text, boolean releasedOnly,
                           SloState health, Sort sort, int page, int size) {

    public ProductQuery {
        sort = sort == null ? Sort.NAME : sort;
    }

    public ProductQuery(String domain, String tag, LifecycleStatus status, String text, boolean releasedOnly,
                        int page, int size) {
        this(domain, tag, status, text, releasedOnly, null, Sort.NAME, page, size);
    }

    /** The order of the catalog. */
    public enum Sort {
        /** by domain, then product name */
        NAME,
        /** worst health first (BREACHED, AT_RISK, MET, then products without an evaluated SLO), then by name */
        HEALTH
    }
}
