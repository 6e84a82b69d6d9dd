package dev.meshplatform.ingestion.api;

import java.util.List;

/**
 * The answer to a batch of events: how many were accepted (acknowledged by every in-sync replica) and which were
 * rejected, by their index in the batch, with the reason.
 *
 * @param replayed whether this is the stored answer of an earlier batch with the same Idempotency-Key
 */
public record EventBatchResult(String topic, int accepted, List<Rejected> rejected, boolean replayed) {

    public record Rejected(int index, String reason) {
    }
}
