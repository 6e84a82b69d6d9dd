package dev.meshplatform.governance.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * A domain's webhook subscription.
 *
 * @param events  the CloudEvents types it receives; empty means all
 * @param secret  the signing key: only in the answer that created the subscription, never again
 * @param pending notifications waiting to be delivered (retries included)
 * @param failed  notifications given up on after the last attempt
 */
public record WebhookView(String id, String domain, String url, List<String> events, int deadLetterThreshold,
                          String description, String createdBy, Instant createdAt, long pending, long failed,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

    public WebhookView withoutSecret() {
        return new WebhookView(id, domain, url, events, deadLetterThreshold, description, createdBy, createdAt,
                pending, failed, null);
    }

    @Override
    public String toString() {
        return "WebhookView[id=" + id + ", domain=" + domain + ", url=" + url + ", events=" + events + "]";
    }
}
