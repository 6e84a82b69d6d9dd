package dev.meshplatform.registry.api;

/**
 * Published (as a Spring application event, inside the registry's transaction) after a version moved to another
 * lifecycle status. Ingestion provisions topics and tables on PUBLISHED.
 */
public record VersionTransitioned(ProductVersionView version, LifecycleStatus from, LifecycleStatus to) {
}
