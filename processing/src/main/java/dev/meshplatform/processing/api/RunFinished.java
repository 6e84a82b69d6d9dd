package dev.meshplatform.processing.api;

/**
 * Published (as a Spring application event) inside the transaction that ended a run's record: SUCCEEDED, FAILED or
 * CANCELLED, once per run.
 */
public record RunFinished(RunView run) {
}
