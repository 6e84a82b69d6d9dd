package dev.meshplatform.ingestion.api;

/** Events sent over HTTP: checked against the product's contract and produced to its topic. */
public interface EventIngestion {

    /**
     * Checks and produces a batch.
     *
     * @param major          the product's major version; null for the newest published one
     * @param body           a JSON array of events, or NDJSON (one event per line) when {@code ndjson}
     * @param idempotencyKey when given, a second batch with the same key is not produced again: the first answer is
     *                       returned
     */
    EventBatchResult ingest(String domain, String product, Integer major, byte[] body, boolean ndjson,
                            String idempotencyKey);
}
