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
 * @param replayState     whether the event was replayed into the product's topic ({@link DeadLetterReplays}): null
 *                        when it was not, REPLAYED when Kafka acknowledged it, IN_DOUBT when a replay began and its
 *                        outcome is not known (it is under way, or the platform stopped before Kafka answered; it is
 *                        never produced again). Two dead letters of one event (the landing job sends one twice when
 *                        it crashes before its commit) share it: the event is replayed once.
 * @param replayedAt      when Kafka acknowledged the replayed event (or, IN_DOUBT, when the replay began)
 * @param replayedBy      who replayed it: an API key's id or a token's subject
 */
public record DeadLetter(int partition, long offset, Instant time, String reason, Integer sourcePartition,
                         Long sourceOffset, String payload, int payloadBytes, String replayState, Instant replayedAt,
                         String replayedBy) {

    /** The same letter without its payload. */
    public DeadLetter withoutPayload() {
        return new DeadLetter(partition, offset, time, reason, sourcePartition, sourceOffset, null, payloadBytes,
                replayState, replayedAt, replayedBy);
    }

    /** The same letter with what became of its event. */
    public DeadLetter withReplay(String state, Instant at, String by) {
        return new DeadLetter(partition, offset, time, reason, sourcePartition, sourceOffset, payload, payloadBytes,
                state, at, by);
    }
}
