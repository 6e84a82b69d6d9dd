package dev.meshplatform.app.notifications;

import com.sun.net.httpserver.HttpServer;
import dev.meshplatform.app.MeshPlatformApplication;
import dev.meshplatform.app.testsupport.Api;
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

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger holding = new AtomicInteger();
    private volatile boolean hold = true;

    @AfterEach
    void stopServer() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
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
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(body);
            if (hold) {
                holding.incrementAndGet();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        String hook;
        String eventId;
        // Long enough that the attempt is still held when the platform stops; its lease is 1 + 20 + 30 s.
        try (ConfigurableApplicationContext first = start("20s")) {
            Api api = new Api("http://127.0.0.1:" + ((WebServerApplicationContext) first).getWebServer().getPort());
            assertThat(api.post("/api/v1/domains", ADMIN, Map.of("name", "sales", "title", "Sales",
                    "ownerTeam", "sales-data")).status()).isEqualTo(201);
            Api.Response created = api.post("/api/v1/domains/sales/webhooks", ADMIN, Map.of("url",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/hook"));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            hook = created.json().path("id").asString();
            new TransactionTemplate(first.getBean(PlatformTransactionManager.class)).executeWithoutResult(tx ->
                    first.publishEvent(new SloStateChanged("sales", "orders", 1, "1.0.0", "freshness", null,
                            "BREACHED", "no data yet", Instant.now())));
            // The endpoint holds the first attempt; the platform stops under it.
            await().atMost(Duration.ofSeconds(30)).until(() -> holding.get() == 1);
            eventId = Api.JSON.readTree(bodies.get(0)).path("id").asString();
        }
        hold = false;
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
            assertThat(bodies).hasSize(2);
            assertThat(Api.JSON.readTree(bodies.get(1)).path("id").asString()).isEqualTo(eventId);
            assertThat(api.get("/api/v1/domains/sales/webhooks/" + hook, ADMIN).json().path("pending").asLong())
                    .isZero();
        }
    }
}
