package dev.meshplatform.registry.api;

/**
 * A lifecycle transition that is about to happen, or would happen (a dry run).
 *
 * @param previousPublished the previous released version ({@link ProductCatalog#previousReleased}), or null: the
 *                          baseline of the version's changes; breaking changes count only within its major
 * @param lineage           the column lineage of the version's transformation (stored when it was applied, computed
 *                          for a dry run)
 */
public record TransitionCheck(String domain, String product, String version, LifecycleStatus from, LifecycleStatus to,
                              ProductDescriptor descriptor, ProductVersionView previousPublished, boolean dryRun,
                              ColumnLineage lineage) {
}
