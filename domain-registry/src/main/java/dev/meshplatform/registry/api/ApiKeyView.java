package dev.meshplatform.registry.api;

import java.time.Instant;

/** An API key as it may be shown: its public id, never its secret. */
public record ApiKeyView(String id, String name, Role role, String domain, String createdBy, Instant createdAt,
                         Instant expiresAt, Instant revokedAt) {

    public boolean isActive(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
