package dev.meshplatform.registry.api;

/**
 * A lifecycle transition that is about to happen, or would happen (a dry run).
 *
 * @param previousPublished the newest released version of the same major below this one, or null: the baseline for
 *                          breaking-change checks
 */
public record TransitionCheck(String domain, String product, String version, LifecycleStatus from, LifecycleStatus to,
                              ProductDescriptor descriptor, ProductVersionView previousPublished, boolean dryRun) {
}
