package dev.meshplatform.registry.api;

import java.time.Instant;

/** One version of a product: its descriptor, its lifecycle status, and when things happened. */
public record ProductVersionView(String domain, String product, String version, LifecycleStatus status,
                                 ProductDescriptor descriptor, String descriptorHash, long revision,
                                 Instant createdAt, Instant updatedAt, Instant statusChangedAt) {

    public int major() {
        return SemanticVersion.parse(version).major();
    }
}
