package dev.meshplatform.governance.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A webhook subscription as its domain's owners ask for it.
 *
 * @param url                 where the platform POSTs the events (http or https; no private, loopback or
 *                            link-local address unless an admin allows it)
 * @param events              the CloudEvents types wanted ({@link NotificationType#type()}); all when empty
 * @param secret              the HMAC-SHA256 key that signs every delivery (16 to 200 characters); the platform
 *                            generates one when absent, shown once in the answer
 * @param deadLetterThreshold dead letters per product major and hour that make a
 *                            {@code dev.meshplatform.dead-letters.over-threshold} event (once per hour); default 1
 */
public record WebhookSpec(
        @NotBlank @Size(max = 2000) String url,
        @Size(max = 20) List<@NotBlank @Size(max = 100) String> events,
        @Size(min = 16, max = 200) String secret,
        @Min(1) @Max(1_000_000_000) Integer deadLetterThreshold,
        @Size(max = 200) String description) {

    public WebhookSpec {
        events = events == null ? List.of() : List.copyOf(events);
    }

    @Override
    public String toString() {
        return "WebhookSpec[url=" + url + ", events=" + events + "]";
    }
}
