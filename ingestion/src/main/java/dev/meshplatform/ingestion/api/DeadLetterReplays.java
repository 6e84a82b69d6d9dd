package dev.meshplatform.ingestion.api;

/**
 * Replays dead letters: each selected letter's event is checked again against the major's current contract (a newer
 * compatible minor version may take what an older one refused); those that pass are produced to the product's topic
 * like events sent over HTTP (idempotent producer, acks=all), the others stay where they are. An event is produced
 * at most once however often it is replayed: a durable record of it is claimed before producing.
 */
public interface DeadLetterReplays {

    /** The most letters one replay takes. */
    int MAX_LETTERS = 1_000;

    /**
     * Replays the selected letters.
     *
     * @param actor who replays them (an API key's id or a token's subject), kept with each replayed letter
     */
    DeadLetterReplay replay(String domain, String product, DeadLetterSelection selection, String actor);
}
