package dev.meshplatform.registry.api;

import java.time.Instant;
import java.util.List;

/**
 * A product in the catalog: the title, description and tags of its newest visible version, and the versions the
 * reader may see.
 *
 * @param health the worst SLO state over its served majors; null when none was evaluated
 */
public record ProductSummary(String domain, String name, String title, String description, List<String> tags,
                             String latestVersion, List<VersionRef> versions, Instant createdAt, Instant updatedAt,
                             SloState health) {

    public ProductSummary(String domain, String name, String title, String description, List<String> tags,
                          String latestVersion, List<VersionRef> versions, Instant createdAt, Instant updatedAt) {
        this(domain, name, title, description, tags, latestVersion, versions, createdAt, updatedAt, null);
    }

    /** @param flags the codes of the version's flags, e.g. {@code sql-refused}; empty when it has none */
    public record VersionRef(String version, LifecycleStatus status, List<String> flags) {

        public VersionRef {
            flags = flags == null ? List.of() : List.copyOf(flags);
        }
    }
}
