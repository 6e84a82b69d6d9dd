package dev.meshplatform.governance.api;

/** Published (as a Spring application event) inside the transaction that approved or rejected an access request. */
public record AccessRequestDecided(AccessRequestView request) {
}
