package dev.meshplatform.registry.api;

import java.time.Instant;

/**
 * One version of a product: its descriptor, its lifecycle status, when things happened, and what the platform found
 * about it since ({@code flags}, e.g. SQL its sandbox refuses now).
 *
 * @param sunset for a DEPRECATED version, the date its owners announced it stops being served, if they did
 */
public record ProductVersionView(String domain, String product, String version, LifecycleStatus status,
                                 ProductDescriptor descriptor, String descriptorHash, long revision,
                                 Instant createdAt, Instant updatedAt, Instant statusChangedAt, Instant sunset,
                                 java.util.List<VersionFlag> flags) {

    public ProductVersionView {
        flags = flags == null ? java.util.List.of() : java.util.List.copyOf(flags);
    }

    public int major() {
        return SemanticVersion.parse(version).major();
    }
}
