package dev.meshplatform.ingestion.api;

import java.time.Instant;

/**
 * One event a landing job refused, as its major's dead-letter topic holds it.
 *
 * @param partition       its partition in the dead-letter topic
 * @param offset          its offset there
 * @param time            the event's timestamp (when it was produced)
 * @param reason          why it was refused
 * @param sourcePartition where it was in the product's topic
 * @param sourceOffset    its offset there
 * @param payload         the event as sent (its first {@link DeadLetters#PREVIEW_CHARACTERS} characters); null for
 *                        readers outside the owning domain, who may not see the product's raw data
 * @param payloadBytes    the event's size
 */
public record DeadLetter(int partition, long offset, Instant time, String reason, Integer sourcePartition,
                         Long sourceOffset, String payload, int payloadBytes) {

    /** The same letter without its payload. */
    public DeadLetter withoutPayload() {
        return new DeadLetter(partition, offset, time, reason, sourcePartition, sourceOffset, null, payloadBytes);
    }
}
