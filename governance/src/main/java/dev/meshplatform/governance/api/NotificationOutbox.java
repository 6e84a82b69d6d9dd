package dev.meshplatform.governance.api;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The delivering side of the outbox: claims due notifications and records how each attempt went. */
public interface NotificationOutbox {

    /**
     * Claims up to {@code max} due notifications for {@code owner} for {@code lease} (a conditional update per row, so
     * two instances never claim the same one): of each webhook but {@code busyWebhooks}, its oldest pending one, so
     * that every webhook gets its notifications in order, one at a time.
     */
    List<Entry> claim(String owner, int max, Set<String> busyWebhooks, Duration lease);

    /**
     * Records an attempt in the webhook's delivery log and moves the notification on: DELIVERED, back to PENDING
     * with a backoff, or FAILED after the last attempt. A claim that was lost meanwhile (the lease ran out and another
     * instance took it) changes nothing.
     */
    void attempted(Entry entry, String owner, Attempt attempt);

    /** Forgets delivered and failed notifications and delivery attempts older than {@code before}; returns them. */
    int purge(java.time.Instant before);

    /** A notification to deliver. The secret never appears in {@link #toString()}. */
    record Entry(String id, String webhookId, String eventId, String eventType, String url, String secret,
                 String body, int attempts) {

        @Override
        public String toString() {
            return "Entry[id=" + id + ", webhook=" + webhookId + ", event=" + eventId + ", type=" + eventType
                    + ", attempts=" + attempts + "]";
        }
    }

    /** @param statusCode null when the endpoint did not answer */
    record Attempt(boolean delivered, Integer statusCode, String error, long durationMillis) {
    }
}
