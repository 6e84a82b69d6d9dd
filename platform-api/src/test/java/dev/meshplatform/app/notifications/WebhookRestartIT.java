package dev.meshplatform.app.notifications;

import dev.meshplatform.app.MeshPlatformApplication;
import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.WebhookReceiver;
import dev.meshplatform.registry.api.SloStateChanged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A notification whose delivery was cut short by the platform stopping (the endpoint held the request) is delivered
 * by the next start on the same database, once the dead attempt's lease ran out: a stop or a crash loses none.
 */
class WebhookRestartIT {

    private static final String ADMIN = "restart-admin-" + UUID.randomUUID();

    @TempDir
    Path data;

    private final WebhookReceiver receiver = WebhookReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private ConfigurableApplicationContext start(String requestTimeout) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", "0");
        properties.put("mesh.storage.data-dir", data.toString());
        properties.put("mesh.security.bootstrap-admin-key", ADMIN);
        properties.put("mesh.ingestion.embedded-kafka.port", "0");
        properties.put("mesh.ingestion.embedded-kafka.controller-port", "0");
        properties.put("mesh.storage.s3.embedded-port", "0");
        properties.put("mesh.storage.catalog.embedded-port", "0");
        properties.put("mesh.processing.warm-run-jvms", "0");
        properties.put("mesh.notifications.allowed-networks[0]", "127.0.0.1/32");
        properties.put("mesh.notifications.delivery-interval", "100ms");
        properties.put("mesh.notifications.connect-timeout", "1s");
        properties.put("mesh.notifications.request-timeout", requestTimeout);
        return new SpringApplicationBuilder(MeshPlatformApplication.class).properties(properties).run();
    }

    @Test
    void aDeliveryCutShortByAStopIsMadeByTheNextStart() throws Exception {
        String hook;
        String eventId;
        // Long enough that the attempt is still held when the platform stops; its lease is 1 + 20 + 30 s.
        try (ConfigurableApplicationContext first = start("20s")) {
            Api api = new Api("http://127.0.0.1:" + ((WebServerApplicationContext) first).getWebServer().getPort());
            assertThat(api.post("/api/v1/domains", ADMIN, Map.of("name", "sales", "title", "Sales",
                    "ownerTeam", "sales-data")).status()).isEqualTo(201);
            Api.Response created = api.post("/api/v1/domains/sales/webhooks", ADMIN, Map.of("url",
                    receiver.url("/hold")));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            hook = created.json().path("id").asString();
            new TransactionTemplate(first.getBean(PlatformTransactionManager.class)).executeWithoutResult(tx ->
                    first.publishEvent(new SloStateChanged("sales", "orders", 1, "1.0.0", "freshness", null,
                            "BREACHED", "no data yet", Instant.now())));
            // The endpoint holds the first attempt; the platform stops under it.
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.holding() == 1);
            eventId = receiver.received().get(0).json().path("id").asString();
        }
        // The next attempt is answered at once.
        receiver.release();
        try (ConfigurableApplicationContext second = start("1s")) {
            Api api = new Api("http://127.0.0.1:" + ((WebServerApplicationContext) second).getWebServer().getPort());
            // The cut attempt's lease (connect and request timeouts plus 30 s) runs out, then this start delivers.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> api.get("/api/v1/domains/sales/webhooks/" + hook + "/deliveries", ADMIN).json()
                            .path("items").size() == 1);
            JsonNode attempt = api.get("/api/v1/domains/sales/webhooks/" + hook + "/deliveries", ADMIN).json()
                    .path("items").get(0);
            assertThat(attempt.path("outcome").asString()).isEqualTo("DELIVERED");
            assertThat(attempt.path("eventId").asString()).isEqualTo(eventId);
            assertThat(receiver.received()).hasSize(2);
            assertThat(receiver.received().get(1).json().path("id").asString()).isEqualTo(eventId);
            assertThat(api.get("/api/v1/domains/sales/webhooks/" + hook, ADMIN).json().path("pending").asLong())
                    .isZero();
        }
    }
}
