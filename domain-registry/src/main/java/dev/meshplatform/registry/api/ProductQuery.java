package dev.meshplatform.registry.api;

/**
 * Filters of the product catalog; null means any.
 *
 * @param text         case-insensitive substring of the name, title or description
 * @param releasedOnly only versions that left DRAFT count (readers outside the owning domain)
 */
public record ProductQuery(String domain, String tag, LifecycleStatus status, String text, boolean releasedOnly,
                           int page, int size) {
}
