package dev.meshplatform.ingestion.landing;

import dev.meshplatform.app.ingestion.IngestionITAccess;
import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.ingestion.api.IngestionProperties;
import dev.meshplatform.ingestion.api.KafkaConnection;
import dev.meshplatform.ingestion.api.RawTables;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptionManager;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A landing commit that hangs (as one does while Iceberg retries a read of the table's metadata against a store that
 * does not answer) shows as RETRYING with what it waits for, goes back to RUNNING when it goes through, and every
 * event lands exactly once. The job runs on this test's own instance with a catalog whose commits can be held.
 */
class StalledCommitIT extends PlatformIT {

    private static final String INSTANCE = "stalled-commit-test";

    @Autowired
    Catalog catalog;
    @Autowired
    KafkaConnection kafka;
    @Autowired
    Producer<byte[], byte[]> deadLetters;
    @Autowired
    LandingJobStore store;
    @Autowired
    ProductContracts contracts;
    @Autowired
    IngestionProperties properties;
    @Autowired
    MeterRegistry meters;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aCommitThatHangsShowsAsRetryingAndLandsOnceItGoesThrough() throws Exception {
        String domain = createDomain("stall");
        String owner = issueKey("DOMAIN_OWNER", domain);
        String version = versionPath(domain, "events", "1.0.0");
        assertThat(api.put(version, owner, IngestionITAccess.peopleDescriptor(1)).status()).isEqualTo(201);
        Api.Response published = api.post(version + "/transitions", owner, Map.of("to", "PUBLISHED"));
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        String key = RawTables.jobKey(domain, "events", 1);

        // The platform's own coordinator starts the job on publication: stopped, then taken over by this test in
        // one statement, so that the coordinator never sees it free.
        await().atMost(Duration.ofSeconds(60)).until(() -> store.find(key).map(r -> "RUNNING".equals(r.state()))
                .orElse(false));
        store.stop(key, Instant.now());
        await().atMost(Duration.ofSeconds(60)).until(() -> store.find(key).map(r -> r.owner() == null).orElse(false));
        assertThat(jdbc.update("update ingestion_landing_job set desired_state = 'RUNNING', owner_instance = ?, "
                        + "lease_epoch = lease_epoch + 1, lease_expires_at = ?, state = 'STARTING' "
                        + "where job_key = ? and owner_instance is null", INSTANCE,
                Timestamp.from(Instant.now().plus(Duration.ofMinutes(10))), key)).isEqualTo(1);
        long epoch = store.find(key).orElseThrow().epoch();

        CommitGate gate = new CommitGate();
        IngestionProperties stallsAfterTwoSeconds = new IngestionProperties(properties.defaultPartitions(),
                properties.defaultReplicationFactor(), properties.maxRecordSize(), properties.maxBatchSize(),
                properties.flushInterval(), properties.flushRecords(), properties.flushSize(),
                properties.leaseDuration(), properties.snapshotMaxAge(), properties.snapshotsToKeep(),
                properties.snapshotsMax(), properties.maintenanceInterval(), properties.idempotencyRetention(),
                Duration.ofSeconds(2), properties.embeddedKafka());
        LandingJob job = new LandingJob(domain, "events", 1, INSTANCE, epoch, new LandingJob.Dependencies(
                new HoldingCatalog(catalog, gate), kafka, deadLetters, store, contracts, stallsAfterTwoSeconds,
                Clock.systemUTC(), meters, landed -> {
                }));
        Thread thread = new Thread(job, "landing-" + key + "-test");
        thread.start();
        TableIdentifier id = RawTables.rawTable(domain, "events", 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING".equals(store.find(key).orElseThrow().state()));
            send(producer, RawTables.topic(domain, "events", 1), 1, 100);
            await().atMost(Duration.ofSeconds(60)).until(() -> landed(id) == 100);

            gate.holdNext();
            send(producer, RawTables.topic(domain, "events", 1), 101, 200);
            assertThat(gate.held.await(60, TimeUnit.SECONDS)).as("a commit reached the held catalog").isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> "RETRYING".equals(store.find(key).orElseThrow()
                    .state()));
            assertThat(store.find(key).orElseThrow().lastError())
                    .startsWith("a commit has waited").contains("for the object store or the catalog");
            assertThat(landed(id)).isEqualTo(100);

            gate.release.countDown();
            await().atMost(Duration.ofSeconds(60)).until(() -> landed(id) == 200);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                LandingJobStore.Row row = store.find(key).orElseThrow();
                return "RUNNING".equals(row.state()) && row.lastError() == null;
            });
        } finally {
            gate.release.countDown();
            store.stop(key, Instant.now());
            job.requestStop();
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }
        Set<Long> ids = new HashSet<>();
        long rows = 0;
        try (CloseableIterable<Record> read = IcebergGenerics.read(catalog.loadTable(id)).select("id").build()) {
            for (Record row : read) {
                ids.add((Long) row.getField("id"));
                rows++;
            }
        }
        assertThat(rows).isEqualTo(200);
        assertThat(ids).hasSize(200);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, long from, long to) {
        for (long id = from; id <= to; id++) {
            producer.send(new ProducerRecord<>(topic, IngestionITAccess.event(id).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
    }

    private long landed(TableIdentifier id) {
        return RawTableCommitter.totals(catalog.loadTable(id)).records();
    }

    /** Holds the next commit of events that reaches it until released. */
    private static final class CommitGate {
        private volatile boolean holdNext;
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);

        void holdNext() {
            holdNext = true;
        }

        void pass() {
            if (!holdNext) {
                return;
            }
            holdNext = false;
            held.countDown();
            try {
                release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The platform's catalog, whose tables' commits of events pass through a gate first. */
    private record HoldingCatalog(Catalog delegate, CommitGate gate) implements Catalog {

        @Override
        public Table loadTable(TableIdentifier id) {
            BaseTable table = (BaseTable) delegate.loadTable(id);
            return new BaseTable(new HoldingOperations(table.operations(), gate), table.name());
        }

        @Override
        public List<TableIdentifier> listTables(Namespace namespace) {
            return delegate.listTables(namespace);
        }

        @Override
        public boolean tableExists(TableIdentifier id) {
            return delegate.tableExists(id);
        }

        @Override
        public boolean dropTable(TableIdentifier id, boolean purge) {
            return delegate.dropTable(id, purge);
        }

        @Override
        public void renameTable(TableIdentifier from, TableIdentifier to) {
            delegate.renameTable(from, to);
        }

        @Override
        public String name() {
            return delegate.name();
        }
    }

    private record HoldingOperations(TableOperations delegate, CommitGate gate) implements TableOperations {

        @Override
        public TableMetadata current() {
            return delegate.current();
        }

        @Override
        public TableMetadata refresh() {
            return delegate.refresh();
        }

        @Override
        public void commit(TableMetadata base, TableMetadata metadata) {
            // Only a commit that lands events: snapshot expiry runs on the job's own thread.
            Snapshot added = metadata.currentSnapshot();
            if (added != null && (base == null || base.currentSnapshot() == null
                    || base.currentSnapshot().snapshotId() != added.snapshotId())
                    && DataOperations.APPEND.equals(added.operation())
                    && Long.parseLong(added.summary().getOrDefault("added-records", "0")) > 0) {
                gate.pass();
            }
            delegate.commit(base, metadata);
        }

        @Override
        public FileIO io() {
            return delegate.io();
        }

        @Override
        public EncryptionManager encryption() {
            return delegate.encryption();
        }

        @Override
        public String metadataFileLocation(String fileName) {
            return delegate.metadataFileLocation(fileName);
        }

        @Override
        public LocationProvider locationProvider() {
            return delegate.locationProvider();
        }

        @Override
        public TableOperations temp(TableMetadata uncommittedMetadata) {
            return delegate.temp(uncommittedMetadata);
        }

        @Override
        public long newSnapshotId() {
            return delegate.newSnapshotId();
        }

        @Override
        public boolean requireStrictCleanup() {
            return delegate.requireStrictCleanup();
        }
    }
}
