package dev.meshplatform.app.ingestion;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.ExternalParts;
import dev.meshplatform.app.testsupport.PlatformProcess;
import dev.meshplatform.ingestion.api.RawTables;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crashes: numbered events flow into Kafka while the platform process landing them is killed with SIGKILL at seeded
 * random moments and started again; afterwards every event is in the raw table exactly once. Kafka, S3 and the
 * database run in the test JVM, outside the process that is killed. Set -Dmesh.crash.seed=N to repeat a run.
 */
class CrashRecoveryIT {

    static final String ADMIN = "crash-admin-" + UUID.randomUUID();
    static ExternalParts parts;

    @BeforeAll
    static void parts() {
        parts = new ExternalParts();
    }

    @AfterAll
    static void stop() {
        parts.close();
    }

    static List<String> arguments(Path data) {
        List<String> args = new java.util.ArrayList<>(parts.platformArguments(data, ADMIN));
        args.add("--mesh.ingestion.flush-interval=100ms");
        args.add("--mesh.ingestion.lease-duration=3s");
        return args;
    }

    static void publish(Api api, String domain, String product, int partitions) {
        assertThat(api.post("/api/v1/domains", ADMIN, Map.of("name", domain, "title", "t", "ownerTeam", "t"))
                .status()).isEqualTo(201);
        var descriptor = IngestionIT.peopleDescriptor(partitions);
        String version = "/api/v1/domains/" + domain + "/products/" + product + "/versions/1.0.0";
        assertThat(api.put(version, ADMIN, descriptor).status()).isEqualTo(201);
        Api.Response published = api.post(version + "/transitions", ADMIN, Map.of("to", "PUBLISHED"));
        assertThat(published.status()).as(published.body()).isEqualTo(200);
    }

    /** Sends numbered events 1, 2, 3, … until stopped; returns how many it sent. */
    static final class NumberedEvents implements AutoCloseable {
        final AtomicLong sent = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread thread;

        NumberedEvents(String topic, int perSecond) {
            thread = new Thread(() -> {
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, parts.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
                    long started = System.nanoTime();
                    while (running.get()) {
                        long due = (System.nanoTime() - started) * perSecond / 1_000_000_000L;
                        while (sent.get() < due && running.get()) {
                            long id = sent.incrementAndGet();
                            producer.send(new ProducerRecord<>(topic, IngestionIT.event(id)
                                    .getBytes(StandardCharsets.UTF_8)));
                        }
                        // A paced load generator: park a little between bursts rather than spin a core.
                        java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                    }
                    producer.flush();
                }
            }, "numbered-events");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    @Test
    void killedAtRandomMomentsEveryEventLandsExactlyOnce() throws Exception {
        long seed = Long.getLong("mesh.crash.seed", System.nanoTime());
        System.out.println("CrashRecoveryIT seed: " + seed + " (repeat with -Dmesh.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        Path data = parts.dir().resolve("crash-platform");
        String domain = "crash-" + UUID.randomUUID().toString().substring(0, 6);
        PlatformProcess platform = new PlatformProcess("crash", data, arguments(data)).start();
        try {
            publish(platform.api(), domain, "numbers", 3);
            // Kafka, S3 and the catalog are configured: nothing embedded starts.
            assertThat(platform.log()).doesNotContain("Embedded Kafka broker started")
                    .doesNotContain("Embedded S3 server started").doesNotContain("catalog ready on jdbc:h2:file");
            String topic = RawTables.topic(domain, "numbers", 1);
            long total;
            try (NumberedEvents events = new NumberedEvents(topic, 3_000)) {
                for (int kill = 1; kill <= 5; kill++) {
                    long wait = 1_000 + random.nextInt(4_000);
                    await().pollDelay(Duration.ofMillis(wait)).atMost(Duration.ofMillis(wait + 1_000)).until(() -> true);
                    platform.kill();
                    System.out.printf("CrashRecoveryIT: kill %d after %d ms, %d events sent%n", kill, wait,
                            events.sent.get());
                    platform = new PlatformProcess("crash", data, arguments(data)).start();
                }
                await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
                events.close();
                total = events.sent.get();
            }
            try (org.apache.iceberg.jdbc.JdbcCatalog catalog = parts.catalog()) {
            RawTableRows rows = new RawTableRows(catalog, domain, "numbers");
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> rows.count() >= total);
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
            long[] counts = rows.countAndDistinct();
            System.out.printf("CrashRecoveryIT: %d events sent, %d rows, %d distinct ids, max id %d%n", total,
                    counts[0], counts[1], counts[2]);
            assertThat(counts[0]).as("rows").isEqualTo(total);
            assertThat(counts[1]).as("distinct ids").isEqualTo(total);
            assertThat(counts[2]).as("max id").isEqualTo(total);
            }
        } finally {
            platform.close();
        }
    }
}
