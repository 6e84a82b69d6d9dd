package dev.meshplatform.app.testsupport;

import dev.meshplatform.app.MeshPlatformApplication;
import dev.meshplatform.registry.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * The platform running on a random port, on the test database ({@link TestDatabase#shared()}: PostgreSQL when
 * configured, else H2) with its data under a temporary folder. Every subclass shares the one application context.
 */
@SpringBootTest(classes = MeshPlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class PlatformIT {

    /** The admin key every test may use; a real deployment takes it from a secret store. */
    public static final String ADMIN_KEY = "test-admin-" + UUID.randomUUID();

    private static final Path DATA_DIR;

    static {
        try {
            DATA_DIR = Files.createTempDirectory("mesh-it-data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    protected int port;

    protected Api api;

    @DynamicPropertySource
    static void platform(DynamicPropertyRegistry registry) {
        Map<String, String> database = TestDatabase.shared().springProperties();
        database.forEach((k, v) -> registry.add(k, () -> v));
        registry.add("mesh.storage.data-dir", DATA_DIR::toString);
        registry.add("mesh.security.bootstrap-admin-key", () -> ADMIN_KEY);
        // The test platform shares the machine with platform processes and other builds: no fixed ports.
        registry.add("mesh.ingestion.embedded-kafka.port", () -> "0");
        registry.add("mesh.ingestion.embedded-kafka.controller-port", () -> "0");
        registry.add("mesh.storage.s3.embedded-port", () -> "0");
        registry.add("mesh.storage.catalog.embedded-port", () -> "0");
        registry.add("mesh.security.max-request-body-size", () -> "256KB");
        // SlowReadersIT holds every stream with clients that do not read: more than Spring's 8 shared threads (the
        // pool this replaced), few enough to hold quickly; a stalled client is cut in 10 s, not 60 (long enough for
        // the test to hold them all meanwhile). Idle kept-alive connections still live 60 s, as in production.
        registry.add("mesh.security.max-streamed-responses", () -> "10");
        registry.add("server.tomcat.connection-timeout", () -> "10s");
        registry.add("server.tomcat.keep-alive-timeout", () -> "60s");
        registry.add("mesh.ingestion.max-record-size", () -> "64KB");
        registry.add("mesh.ingestion.max-batch-size", () -> "512KB");
        registry.add("mesh.ingestion.flush-interval", () -> "300ms");
        registry.add("mesh.ingestion.lease-duration", () -> "6s");
        registry.add("mesh.ingestion.snapshot-max-age", () -> "1s");
        // Enough for a compaction that runs while the job commits every 300 ms to find its starting snapshot.
        registry.add("mesh.ingestion.snapshots-to-keep", () -> "25");
        registry.add("mesh.ingestion.maintenance-interval", () -> "1s");
        registry.add("mesh.processing.stale-run-after", () -> "3s");
        // SLO states follow within a second: ProductHealthIT's freshness target of 10 s is at risk from 8 s.
        registry.add("mesh.registry.health.evaluation-interval", () -> "1s");
        // Tests compact when they mean to: a pass in the background would rewrite tables other tests compare.
        registry.add("mesh.processing.compaction-interval", () -> "0s");
        // Small enough for the compaction tests' data: landing writes files of about 10 KB, compaction bigger ones.
        registry.add("mesh.processing.compaction-target-file-size", () -> "256KB");
        registry.add("mesh.processing.compaction-small-file-size", () -> "16KB");
        // Test runs are small: run JVMs start faster with the client compiler only and the serial collector.
        registry.add("mesh.processing.run-jvm-heap", () -> "512m");
        registry.add("mesh.processing.run-jvm-options[0]", () -> "-XX:TieredStopAtLevel=1");
        registry.add("mesh.processing.run-jvm-options[1]", () -> "-XX:+UseSerialGC");
        // Webhook tests deliver to servers they start on 127.0.0.1, and retry within a second.
        registry.add("mesh.notifications.allowed-networks[0]", () -> "127.0.0.1/32");
        registry.add("mesh.notifications.delivery-interval", () -> "200ms");
        registry.add("mesh.notifications.retry-backoff", () -> "300ms");
        registry.add("mesh.notifications.max-attempts", () -> "3");
        registry.add("mesh.notifications.grant-expiry-scan-interval", () -> "1s");
    }

    @BeforeEach
    void connect() {
        api = new Api("http://127.0.0.1:" + port);
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a domain as admin and returns its name. */
    protected String createDomain(String prefix) {
        String name = unique(prefix);
        Api.Response created = api.post("/api/v1/domains", ADMIN_KEY,
                Map.of("name", name, "title", "Domain " + name, "ownerTeam", name + "-team"));
        if (created.status() != 201) {
            throw new IllegalStateException("could not create domain " + name + ": " + created);
        }
        return name;
    }

    /** Issues a key as admin and returns its secret. */
    protected String issueKey(String role, String domain) {
        Map<String, Object> request = new java.util.HashMap<>(Map.of("name", role + " key", "role", role));
        if (domain != null) {
            request.put("domain", domain);
        }
        Api.Response issued = api.post("/api/v1/api-keys", ADMIN_KEY, request);
        if (issued.status() != 201) {
            throw new IllegalStateException("could not issue a key: " + issued);
        }
        return issued.json().path("secret").asString();
    }

    protected static String versionPath(String domain, String product, String version) {
        return "/api/v1/domains/" + domain + "/products/" + product + "/versions/" + version;
    }

    /** Triggers a run of the product at {@code productPath} as admin, waits for its end and checks it SUCCEEDED. */
    protected tools.jackson.databind.JsonNode runToSuccess(String productPath) {
        Api.Response queued = api.post(productPath + "/runs", ADMIN_KEY, Map.of());
        org.assertj.core.api.Assertions.assertThat(queued.status()).as(queued.body()).isEqualTo(202);
        String run = productPath + "/runs/" + queued.json().path("id").asString();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(180))
                .pollInterval(java.time.Duration.ofMillis(300))
                .until(() -> java.util.List.of("SUCCEEDED", "FAILED", "CANCELLED")
                        .contains(api.get(run, ADMIN_KEY).json().path("state").asString()));
        tools.jackson.databind.JsonNode ended = api.get(run, ADMIN_KEY).json();
        org.assertj.core.api.Assertions.assertThat(ended.path("state").asString()).as(ended.toString())
                .isEqualTo("SUCCEEDED");
        return ended;
    }
}
