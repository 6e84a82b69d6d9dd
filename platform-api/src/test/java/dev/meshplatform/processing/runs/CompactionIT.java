package dev.meshplatform.processing.runs;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.Lake;
import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.ingestion.api.KafkaConnection;
import dev.meshplatform.ingestion.api.RawTables;
import dev.meshplatform.processing.api.CompactionResult;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Compaction: of a raw table while its landing job commits (every event stays in the table exactly once), and of an
 * output table between runs (under the product's run slot, which it gives back).
 */
class CompactionIT extends PlatformIT {

    @Autowired
    TableMaintenance maintenance;
    @Autowired
    Catalog catalog;
    @Autowired
    KafkaConnection kafka;

    @Test
    void compactionDuringLandingKeepsEveryEventExactlyOnce() throws Exception {
        String domain = createDomain("compact");
        var descriptor = dev.meshplatform.app.ingestion.IngestionITAccess.peopleDescriptor(2);
        assertThat(api.put(versionPath(domain, "busy", "1.0.0"), ADMIN_KEY, descriptor).status()).isEqualTo(201);
        assertThat(api.post(versionPath(domain, "busy", "1.0.0") + "/transitions", ADMIN_KEY,
                Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
        Lake lake = new Lake(catalog, kafka);
        String topic = RawTables.topic(domain, "busy", 1);
        AtomicLong sent = new AtomicLong();
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> {
            try (KafkaProducer<byte[], byte[]> kafkaProducer = lake.producer()) {
                while (producing.get()) {
                    for (int i = 0; i < 200; i++) {
                        long id = sent.incrementAndGet();
                        kafkaProducer.send(new ProducerRecord<>(topic, dev.meshplatform.app.ingestion.IngestionITAccess
                                .event(id).getBytes(StandardCharsets.UTF_8)));
                    }
                    kafkaProducer.flush();
                    LockSupport.parkNanos(50_000_000);
                }
            }
        });
        producer.start();
        List<CompactionResult> results = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> lake.rows(domain, "busy", 1).size() > 1000);
            for (int round = 0; round < 3; round++) {
                // Each round compacts while landing keeps committing: a few new small files each time.
                await().atMost(Duration.ofSeconds(60)).until(() -> dataFiles(lake.rawTable(domain, "busy", 1)) >= 4);
                results.add(maintenance.compactRaw(RawTables.rawTable(domain, "busy", 1)));
            }
        } finally {
            producing.set(false);
            producer.join();
        }
        long total = sent.get();
        assertThat(results).anySatisfy(r -> assertThat(r.rewrittenFiles()).isGreaterThan(1));
        await().atMost(Duration.ofSeconds(60)).until(() -> lake.rows(domain, "busy", 1).size() >= total);
        Set<Long> ids = new HashSet<>();
        List<org.apache.iceberg.data.Record> rows = lake.rows(domain, "busy", 1);
        rows.forEach(r -> ids.add((Long) r.getField("id")));
        assertThat(rows).hasSize((int) total);
        assertThat(ids).hasSize((int) total);

        // What compaction wrote (files above the small-file size, 16 KB in tests) is never rewritten again, not even
        // when new small files land beside it in the same partition.
        maintenance.compactRaw(RawTables.rawTable(domain, "busy", 1));
        Map<String, Long> compactedFiles = dataFileSizes(lake.rawTable(domain, "busy", 1));
        compactedFiles.values().removeIf(size -> size < 16 * 1024);
        assertThat(compactedFiles).isNotEmpty();
        try (KafkaProducer<byte[], byte[]> kafkaProducer = lake.producer()) {
            for (int batch = 0; batch < 3; batch++) {
                long id = sent.incrementAndGet();
                kafkaProducer.send(new ProducerRecord<>(topic, dev.meshplatform.app.ingestion.IngestionITAccess
                        .event(id).getBytes(StandardCharsets.UTF_8)));
                kafkaProducer.flush();
                await().atMost(Duration.ofSeconds(60)).until(() -> lake.rows(domain, "busy", 1).size() > id - 1);
            }
        }
        CompactionResult again = maintenance.compactRaw(RawTables.rawTable(domain, "busy", 1));
        assertThat(again.rewrittenFiles()).as(again.toString()).isGreaterThanOrEqualTo(2);
        assertThat(dataFileSizes(lake.rawTable(domain, "busy", 1))).containsAllEntriesOf(compactedFiles);
        assertThat(lake.rows(domain, "busy", 1)).hasSize((int) sent.get());

        Table table = lake.rawTable(domain, "busy", 1);
        assertThat(table.properties()).containsKey("mesh.landing.offsets").containsEntry("mesh.landing.epoch", "1");
        assertThat(api.get("/api/v1/domains/" + domain + "/products/busy/landing", ADMIN_KEY).json().path("items").get(0)
                .path("state").asString()).isEqualTo("RUNNING");
    }

    @Test
    void outputTablesAreCompactedBetweenRunsAndTheNextRunStillPublishes() {
        String domain = createDomain("compact-out");
        ObjectNode d = Api.JSON.createObjectNode();
        d.put("title", "Appended people");
        ArrayNode events = d.putArray("inputPorts").addObject().put("name", "events").put("type", "kafka")
                .put("partitions", 1).putArray("schema");
        events.addObject().put("name", "name").put("type", "string").put("required", true);
        ArrayNode schema = d.putArray("schema");
        schema.addObject().put("name", "name").put("type", "string").put("required", true);
        d.putObject("transformation").put("sql", "SELECT name FROM raw").put("mode", "append");
        String version = versionPath(domain, "appended", "1.0.0");
        assertThat(api.put(version, ADMIN_KEY, DescriptorJson.governed(d)).status()).isEqualTo(201);
        assertThat(api.post(version + "/transitions", ADMIN_KEY, Map.of("to", "PUBLISHED")).status())
                .isEqualTo(200);
        String product = "/api/v1/domains/" + domain + "/products/appended";
        api.post(product + "/events", ADMIN_KEY, "[{\"name\":\"a\"},{\"name\":\"b\"}]");
        Lake lake = new Lake(catalog, kafka);
        await().atMost(Duration.ofSeconds(60)).until(() -> lake.rows(domain, "appended", 1).size() == 2);
        // Three appending runs leave at least three small files in the output table.
        for (int run = 0; run < 3; run++) {
            // Each run counts what it wrote, not what the table holds after it.
            assertThat(runToSuccess(product).path("rowsWritten").asLong()).isEqualTo(2);
        }
        Table output = catalog.loadTable(org.apache.iceberg.catalog.TableIdentifier.of(domain.replace('-', '_'),
                "appended_v1"));
        long filesBefore = dataFiles(output);
        assertThat(filesBefore).isGreaterThanOrEqualTo(3);

        CompactionResult compacted = maintenance.compactOutput(domain, "appended", 1);

        assertThat(compacted.skipped()).as(String.valueOf(compacted)).isFalse();
        assertThat(compacted.rewrittenFiles()).isEqualTo(filesBefore);
        assertThat(dataFiles(output)).isLessThan(filesBefore);
        assertThat(api.get(product + "/data?limit=100", ADMIN_KEY).json().path("rows")).hasSize(6);
        // The slot was given back, and a run after the rewrite still fast-forwards main.
        runToSuccess(product);
        assertThat(api.get(product + "/data?limit=100", ADMIN_KEY).json().path("rows")).hasSize(8);
    }

    private static Map<String, Long> dataFileSizes(Table table) {
        table.refresh();
        Map<String, Long> sizes = new java.util.HashMap<>();
        try (var tasks = table.newScan().planFiles()) {
            tasks.forEach(task -> sizes.put(task.file().location(), task.file().fileSizeInBytes()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return sizes;
    }

    private static long dataFiles(Table table) {
        table.refresh();
        return table.currentSnapshot() == null ? 0
                : Long.parseLong(table.currentSnapshot().summary().getOrDefault("total-data-files", "0"));
    }
}
