package dev.meshplatform.governance.api;

/**
 * Published (as a Spring application event) once per grant, inside the transaction that notes it, when an active
 * grant expires within {@code mesh.notifications.grant-expiry-notice}.
 */
public record GrantExpiring(GrantView grant) {
}
