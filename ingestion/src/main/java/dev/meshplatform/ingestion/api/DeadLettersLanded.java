package dev.meshplatform.ingestion.api;

import java.time.Instant;

/**
 * Published (as a Spring application event, in a transaction of the platform's database) after a landing job
 * committed a flush that sent events to the dead-letter topic.
 *
 * @param deadLetters the flush's dead letters
 * @param total       the major's dead letters over its whole life, as committed
 */
public record DeadLettersLanded(String domain, String product, int major, long deadLetters, long total, Instant at) {
}
