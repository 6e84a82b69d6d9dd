package dev.meshplatform.governance.api;

import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.PageResult;

import java.time.Instant;
import java.util.List;

/**
 * Per-domain webhook subscriptions and the outbox of their notifications. {@link #record} writes in the caller's
 * transaction, so a notification exists exactly when the change that caused it committed; delivery happens later,
 * elsewhere ({@link NotificationOutbox}).
 */
public interface Notifications {

    /**
     * Writes one outbox row (a CloudEvent) per subscription of {@code domain} that wants {@code type}, in the current
     * transaction. {@code data} is serialized as JSON. Returns the rows written.
     */
    int record(String domain, NotificationType type, String subject, Object data);

    /**
     * Counts dead letters of a product major towards each of its domain's subscriptions' hourly threshold and records
     * a {@link NotificationType#DEAD_LETTERS_OVER_THRESHOLD} once a subscription's threshold is reached in the hour.
     */
    int deadLettersLanded(String domain, String product, int major, long count, Instant at);

    /** Subscribes; the answer holds the signing secret, the only time it is shown. The URL is checked by the caller. */
    WebhookView subscribe(String domain, WebhookSpec spec, MeshPrincipal by);

    List<WebhookView> webhooks(String domain);

    WebhookView webhook(String domain, String id);

    /** Ends the subscription with its undelivered notifications and its delivery log. */
    void unsubscribe(String domain, String id, MeshPrincipal by);

    /** The delivery attempts of a subscription, newest first. */
    PageResult<WebhookDelivery> deliveries(String domain, String id, int page, int size);
}
