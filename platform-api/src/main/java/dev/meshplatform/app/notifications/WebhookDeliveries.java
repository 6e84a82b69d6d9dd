package dev.meshplatform.app.notifications;

import dev.meshplatform.governance.api.NotificationOutbox;
import dev.meshplatform.governance.api.NotificationProperties;
import dev.meshplatform.registry.api.BackgroundLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers the outbox's notifications: every {@code delivery-interval} it claims what is due (up to
 * {@code concurrency} in flight, one per webhook, so one slow endpoint holds one slot), POSTs each as a structured
 * CloudEvent signed with its webhook's secret on threads of its own, and records the attempt. Never on the thread of
 * the change that caused the notification: that one only wrote the outbox row.
 */
final class WebhookDeliveries extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(WebhookDeliveries.class);
    static final String SIGNATURE_HEADER = "Mesh-Signature";
    static final String TIMESTAMP_HEADER = "Mesh-Timestamp";

    private final NotificationOutbox outbox;
    private final WebhookAddresses addresses;
    private final NotificationProperties properties;
    private final Clock clock;
    private final String instance = ManagementFactory.getRuntimeMXBean().getName() + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final HttpClient http;
    private volatile ExecutorService senders;
    private java.time.Instant nextPurge = java.time.Instant.EPOCH;

    WebhookDeliveries(TaskScheduler scheduler, NotificationOutbox outbox, WebhookAddresses addresses,
                      NotificationProperties properties, Clock clock) {
        super(scheduler, "Webhook delivery");
        this.outbox = outbox;
        this.addresses = addresses;
        this.properties = properties;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    protected Duration period() {
        return properties.deliveryInterval();
    }

    @Override
    public void start() {
        AtomicInteger threads = new AtomicInteger();
        senders = Executors.newFixedThreadPool(properties.concurrency(), r -> {
            Thread thread = new Thread(r, "mesh-webhook-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        super.start();
    }

    @Override
    public void stop() {
        super.stop();
        ExecutorService current = senders;
        if (current != null) {
            // Attempts cut short leave their rows leased: another pass (here or elsewhere) retries them later.
            current.shutdownNow();
        }
    }

    @Override
    protected void pass() {
        purgeNowAndThen();
        ExecutorService current = senders;
        int free = properties.concurrency() - inFlight.size();
        if (current == null || free <= 0) {
            return;
        }
        Duration lease = properties.connectTimeout().plus(properties.requestTimeout()).plusSeconds(30);
        List<NotificationOutbox.Entry> claimed = outbox.claim(instance, free, Set.copyOf(inFlight), lease);
        for (NotificationOutbox.Entry entry : claimed) {
            inFlight.add(entry.webhookId());
            try {
                current.execute(() -> {
                    try {
                        deliver(entry);
                    } finally {
                        inFlight.remove(entry.webhookId());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                inFlight.remove(entry.webhookId());
            }
        }
    }

    /** Once an hour: every instance may, it is idempotent. */
    private void purgeNowAndThen() {
        java.time.Instant now = clock.instant();
        if (now.isBefore(nextPurge)) {
            return;
        }
        nextPurge = now.plus(Duration.ofHours(1));
        int purged = outbox.purge(now.minus(properties.retention()));
        if (purged > 0) {
            log.info("Forgot {} delivered or failed notifications and delivery attempts older than {}", purged,
                    properties.retention());
        }
    }

    private void deliver(NotificationOutbox.Entry entry) {
        long started = System.nanoTime();
        NotificationOutbox.Attempt attempt;
        try {
            WebhookAddresses.Target target = addresses.check(entry.url());
            long timestamp = clock.instant().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(target.uri())
                    .timeout(properties.requestTimeout())
                    .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                    .header("User-Agent", "mesh-platform-webhooks")
                    .header(TIMESTAMP_HEADER, String.valueOf(timestamp))
                    .header(SIGNATURE_HEADER, "t=" + timestamp + ",v1="
                            + signature(entry.secret(), entry.eventId(), timestamp, entry.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(entry.body(), StandardCharsets.UTF_8))
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            boolean delivered = status >= 200 && status < 300;
            attempt = new NotificationOutbox.Attempt(delivered, status, delivered ? null : "HTTP " + status
                    + (status >= 300 && status < 400 ? " (redirects are not followed)" : ""), millisSince(started));
        } catch (WebhookAddresses.Refused e) {
            attempt = new NotificationOutbox.Attempt(false, null, "refused: " + e.getMessage(), millisSince(started));
        } catch (HttpTimeoutException e) {
            attempt = new NotificationOutbox.Attempt(false, null, "no answer within the timeout ("
                    + e.getMessage() + ")", millisSince(started));
        } catch (IOException e) {
            attempt = new NotificationOutbox.Attempt(false, null, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), millisSince(started));
        } catch (InterruptedException e) {
            // The platform is stopping: the lease runs out and the notification is retried; nothing is recorded.
            Thread.currentThread().interrupt();
            return;
        }
        try {
            outbox.attempted(entry, instance, attempt);
        } catch (RuntimeException e) {
            log.warn("Could not record the delivery of notification {} to webhook {}: {}", entry.eventId(),
                    entry.webhookId(), e.toString());
        }
    }

    private static long millisSince(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }

    /** Hex HMAC-SHA256 of {@code id.timestamp.body} with the webhook's secret. */
    static String signature(String secret, String eventId, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((eventId + "." + timestamp + "." + body)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookDeliveries[" + instance + "]";
    }
}
