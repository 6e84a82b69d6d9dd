package dev.meshplatform.registry.api;

/** Published (as a Spring application event, inside the registry's transaction) when a domain was deleted. */
public record DomainDeleted(String domain) {
}
