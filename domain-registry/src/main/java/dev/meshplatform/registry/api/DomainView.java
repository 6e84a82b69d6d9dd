package dev.meshplatform.registry.api;

import java.time.Instant;
import java.util.List;

/** A domain as the registry holds it; {@code revision} is the basis of its ETag. */
public record DomainView(String name, String title, String description, String ownerTeam, List<Contact> contacts,
                         Instant createdAt, Instant updatedAt, long revision) {
}
