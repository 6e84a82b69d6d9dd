package dev.meshplatform.ingestion.api;

import java.time.Instant;
import java.util.Map;

/**
 * What a landing job is doing, as its owning instance last reported it.
 *
 * @param desiredState     RUNNING or STOPPED, as set through the API (survives restarts)
 * @param state            what the job does now: WAITING (for an instance), RUNNING, RETRYING, STOPPED, FENCED
 * @param owner            the instance that holds the job's lease, if any
 * @param epoch            the writer epoch of the current (or last) owner
 * @param lag              per Kafka partition, events not yet landed
 * @param recordsLanded       events landed over the job's whole life (committed with the offsets: survives restarts)
 * @param recordsDeadLettered events dead-lettered over the job's whole life, kept the same way
 * @param recordsPerSecond events landed per second over the last flush interval
 */
public record LandingStatus(String domain, String product, int major, String desiredState, String state,
                            String owner, long epoch, long recordsLanded, long recordsDeadLettered,
                            double recordsPerSecond, Map<Integer, Long> lag, Instant lastCommitAt, String lastError,
                            Instant updatedAt) {
}
