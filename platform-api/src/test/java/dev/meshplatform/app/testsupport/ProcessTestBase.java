package dev.meshplatform.app.testsupport;

import dev.meshplatform.app.ingestion.IngestionITAccess;
import dev.meshplatform.ingestion.api.RawTables;
import org.apache.iceberg.Table;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that run the built platform as child processes against Kafka, S3 and a database in the test JVM (see
 * {@link ExternalParts}: the broker and the S3 server start once per test JVM, the database once per class), so that
 * a platform process can be killed or frozen without taking them along.
 */
public abstract class ProcessTestBase {

    protected static final String ADMIN = "process-admin-" + UUID.randomUUID();
    protected static ExternalParts parts;

    @BeforeAll
    static void startParts() {
        parts = new ExternalParts();
    }

    @AfterAll
    static void stopParts() {
        parts.close();
    }

    /**
     * The settings of a platform process: the external parts, fast flushes and short leases, and run JVMs that
     * start as {@link PlatformIT}'s do.
     */
    protected static List<String> arguments(Path data) {
        List<String> args = new ArrayList<>(parts.platformArguments(data, ADMIN));
        args.add("--mesh.ingestion.flush-interval=100ms");
        args.add("--mesh.ingestion.lease-duration=3s");
        args.add("--mesh.processing.compaction-interval=0s");
        args.add("--mesh.processing.run-jvm-heap=512m");
        args.add("--mesh.processing.run-jvm-options[0]=-XX:TieredStopAtLevel=1");
        args.add("--mesh.processing.run-jvm-options[1]=-XX:+UseSerialGC");
        return args;
    }

    protected static void publish(Api api, String domain, String product, int partitions) {
        assertThat(api.post("/api/v1/domains", ADMIN, Map.of("name", domain, "title", "t", "ownerTeam", "t"))
                .status()).isEqualTo(201);
        String version = "/api/v1/domains/" + domain + "/products/" + product + "/versions/1.0.0";
        assertThat(api.put(version, ADMIN, IngestionITAccess.peopleDescriptor(partitions)).status()).isEqualTo(201);
        Api.Response published = api.post(version + "/transitions", ADMIN, Map.of("to", "PUBLISHED"));
        assertThat(published.status()).as(published.body()).isEqualTo(200);
    }

    /** Waits until {@code count} more numbered events have gone to Kafka: the processes work meanwhile. */
    protected static void awaitMoreSent(NumberedEvents events, long count) {
        long target = events.sent.get() + count;
        await().atMost(Duration.ofSeconds(60)).until(() -> events.sent.get() >= target);
    }

    /**
     * True once the raw table's committed offsets reach the end of every partition of its topic: everything sent
     * has landed, and nothing more can.
     */
    private static boolean landedToTheEnd(JdbcCatalog catalog, String domain, String product) {
        String topic = RawTables.topic(domain, product, 1);
        Table table = catalog.loadTable(RawTables.rawTable(domain, product, 1));
        Map<Integer, Long> committed = new java.util.HashMap<>();
        String offsets = table.properties().getOrDefault("mesh.landing.offsets", "");
        for (String entry : offsets.isBlank() ? new String[0] : offsets.split(",")) {
            String[] partitionAndOffset = entry.split(":");
            committed.put(Integer.parseInt(partitionAndOffset[0]), Long.parseLong(partitionAndOffset[1]));
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, parts.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            return ends.entrySet().stream().allMatch(end ->
                    committed.getOrDefault(end.getKey().partition(), 0L) >= end.getValue());
        }
    }

    /** Waits until the raw table holds {@code total} rows, then checks each id 1..total is there exactly once. */
    protected static void assertExactlyOnce(String name, String domain, String product, long total) {
        try (JdbcCatalog catalog = parts.catalog()) {
            dev.meshplatform.app.ingestion.RawTableRowsAccess rows = new dev.meshplatform.app.ingestion.RawTableRowsAccess(catalog, domain, product);
            // The count is the snapshot's summary (no data read): look often, the landing job commits every 100 ms.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> rows.count() >= total);
            // A duplicate would land after the last original: count only once everything sent has been committed.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> landedToTheEnd(catalog, domain, product));
            long[] counts = rows.countAndDistinct();
            System.out.printf("%s: %d events sent, %d rows, %d distinct ids, max id %d%n", name, total, counts[0],
                    counts[1], counts[2]);
            assertThat(counts[0]).as("rows").isEqualTo(total);
            assertThat(counts[1]).as("distinct ids").isEqualTo(total);
            assertThat(counts[2]).as("highest id").isEqualTo(total);
        }
    }

    /** Sends numbered events 1, 2, 3, … at a fixed rate straight to Kafka until closed. */
    protected static final class NumberedEvents implements AutoCloseable {
        public final AtomicLong sent = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        public NumberedEvents(String topic, int perSecond) {
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
                            producer.send(new ProducerRecord<>(topic, IngestionITAccess.event(id)
                                    .getBytes(StandardCharsets.UTF_8)));
                        }
                        // A paced load generator: park a little between bursts rather than spin a core.
                        LockSupport.parkNanos(2_000_000);
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
}
