package dev.meshplatform.governance.api;

/** Published (as a Spring application event) inside the transaction that stored a new access request. */
public record AccessRequestCreated(AccessRequestView request) {
}
