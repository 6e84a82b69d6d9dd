package dev.meshplatform.governance.api;

import java.time.Instant;

/**
 * One attempt to deliver a notification to a webhook.
 *
 * @param outcome        DELIVERED (a 2xx answer), RETRYING (another attempt follows) or FAILED (the last one)
 * @param statusCode     the endpoint's HTTP status; null when it did not answer
 * @param error          why the attempt failed, when it did
 * @param durationMillis from sending the request to the end of the answer or the failure
 */
public record WebhookDelivery(String eventId, String type, int attempt, Instant at, String outcome,
                              Integer statusCode, String error, long durationMillis) {
}
