package dev.meshplatform.app.processing;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.Lake;
import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.ingestion.api.KafkaConnection;
import dev.meshplatform.ingestion.api.RawTables;
import dev.meshplatform.processing.api.CompactionResult;
import dev.meshplatform.processing.runs.TableMaintenance;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

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

/** Compaction of a raw table while its landing job commits: every event stays in the table exactly once. */
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
                await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
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
        Table table = lake.rawTable(domain, "busy", 1);
        assertThat(table.properties()).containsKey("mesh.landing.offsets").containsEntry("mesh.landing.epoch", "1");
        assertThat(api.get("/api/v1/domains/" + domain + "/products/busy/landing", ADMIN_KEY).json().get(0)
                .path("state").asString()).isEqualTo("RUNNING");
    }
}
