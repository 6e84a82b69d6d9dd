package dev.meshplatform.ingestion.landing;

import dev.meshplatform.ingestion.api.IngestionProperties;
import dev.meshplatform.ingestion.api.KafkaConnection;
import dev.meshplatform.ingestion.api.RawTables;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.ProductVersionView;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Moves one product major's events from its Kafka topic into its raw Iceberg table, as the holder of the job's
 * lease at one epoch. Reads from the offsets recorded in the table (never from a consumer group), checks every event
 * against the contract, sends refused ones to the dead-letter topic with the reason in headers, and commits each
 * flush's files with the offsets after them in one fenced commit. A flush commits on a thread of its own while the
 * next one fills; commits run one at a time, in order. Any failure (Kafka, S3, the catalog) discards the unflushed
 * buffer and starts again from the table's offsets after a backoff: nothing is lost or written twice.
 */
final class LandingJob implements Runnable {

    static final String REASON_HEADER = "mesh.dlq.reason";
    static final String SOURCE_TOPIC_HEADER = "mesh.dlq.source.topic";
    static final String SOURCE_PARTITION_HEADER = "mesh.dlq.source.partition";
    static final String SOURCE_OFFSET_HEADER = "mesh.dlq.source.offset";

    private static final Logger log = LoggerFactory.getLogger(LandingJob.class);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(10);
    private static final Duration REPORT_INTERVAL = Duration.ofSeconds(2);

    /** What the job needs from the platform. */
    record Dependencies(Catalog catalog, KafkaConnection kafka, Producer<byte[], byte[]> deadLetters,
                        LandingJobStore store, ProductContracts contracts, IngestionProperties properties,
                        Clock clock, MeterRegistry meters,
                        java.util.function.Consumer<dev.meshplatform.ingestion.api.DeadLettersLanded> deadLettersLanded) {
    }

    private final String key;
    private final String domain;
    private final String product;
    private final int major;
    private final String instance;
    private final long epoch;
    private final Dependencies deps;
    private final String topic;
    private final String deadLetterTopic;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean leaseLost;
    private volatile String state = "STARTING";
    private volatile String lastError;
    // Set by the committing thread, read by the job's own when it reports.
    private volatile long landed;
    private volatile long deadLettered;
    private volatile double perSecond;
    private volatile Instant lastCommitAt;
    private Map<Integer, Long> lag = Map.of();
    private int task;
    private long lastContractCheck;
    private ExecutorService writerThread;
    private ExecutorService commitThread;
    /** The commit of the previous flush while it runs (null: none since the last wait). */
    private Future<?> pendingCommit;
    private volatile long pendingCommitSince;
    /** Whether the status says RETRYING because the commit in flight stalled (not because a session failed). */
    private boolean commitStalled;

    LandingJob(String domain, String product, int major, String instance, long epoch, Dependencies deps) {
        this.key = RawTables.jobKey(domain, product, major);
        this.domain = domain;
        this.product = product;
        this.major = major;
        this.instance = instance;
        this.epoch = epoch;
        this.deps = deps;
        this.topic = RawTables.topic(domain, product, major);
        this.deadLetterTopic = RawTables.deadLetterTopic(domain, product, major);
    }

    String key() {
        return key;
    }

    long epoch() {
        return epoch;
    }

    /** Asks the job to commit what it holds and stop. */
    void requestStop() {
        stopSignal.countDown();
    }

    /** The lease could not be renewed: stop at once without committing (the fence would refuse it anyway). */
    void loseLease() {
        leaseLost = true;
        stopSignal.countDown();
    }

    boolean isFinished() {
        return finished.getCount() == 0;
    }

    boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private boolean stopping() {
        return stopSignal.getCount() == 0;
    }

    @Override
    public void run() {
        Thread.currentThread().setName("landing-" + key);
        writerThread = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "landing-writer-" + key);
            thread.setDaemon(true);
            return thread;
        });
        commitThread = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "landing-commit-" + key);
            thread.setDaemon(true);
            return thread;
        });
        Duration backoff = Duration.ofSeconds(1);
        try (LandingMetrics metrics = new LandingMetrics(deps.meters(), domain, product, major)) {
            log.info("Landing job {} started at epoch {} on {}", key, epoch, instance);
            while (!stopping()) {
                try {
                    boolean reload = session(metrics);
                    backoff = Duration.ofSeconds(1);
                    if (!reload) {
                        break;
                    }
                } catch (FencedException e) {
                    state = "FENCED";
                    lastError = e.getMessage();
                    log.warn("Landing job {} stopped: {}", key, e.getMessage());
                    break;
                } catch (RuntimeException e) {
                    state = "RETRYING";
                    lastError = describe(e);
                    log.warn("Landing job {} failed ({}); starting again from the table's offsets in {} s", key,
                            lastError, backoff.toSeconds());
                    report();
                    if (stopSignal.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
                            : backoff.multipliedBy(2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            String end = "FENCED".equals(state) ? "FENCED" : "STOPPED";
            state = end;
            try {
                if (!leaseLost) {
                    deps.store().release(key, instance, epoch, end, deps.clock().instant());
                }
            } catch (RuntimeException e) {
                // The lease then runs out on its own and another instance (or this one) takes the job over; the
                // job still counts as finished here, so that it can start again.
                log.warn("Landing job {} at epoch {} could not give back its lease: {}", key, epoch, e.toString());
            } finally {
                writerThread.shutdownNow();
                commitThread.shutdownNow();
                log.info("Landing job {} at epoch {} ended: {}", key, epoch, end);
                finished.countDown();
            }
        }
    }

    /** One run from the table's offsets; true when it ended to pick up a new contract or partitions. */
    private boolean session(LandingMetrics metrics) {
        ProductMajor productMajor = new ProductMajor(domain, product, major);
        if (RawTables.migrateName(deps.catalog(), productMajor)) {
            log.info("Landing job {} renamed its raw table to {}", key, RawTables.rawTable(productMajor));
        }
        Table table = deps.catalog().loadTable(RawTables.rawTable(productMajor));
        RawTableCommitter committer = new RawTableCommitter(table, epoch);
        committer.fence();
        Map<Integer, Long> committed = committer.committedOffsets();
        RawTableCommitter.Totals totals = committer.totals();
        landed = totals.records();
        deadLettered = totals.deadLetters();
        // The table is exact; the store follows it (a crash may have come between a commit and its record).
        Long newestEvent = RawTableCommitter.newestEventMillis(table);
        if (newestEvent != null) {
            deps.store().recordNewestEvent(key, Instant.ofEpochMilli(newestEvent));
        }
        ProductVersionView version = deps.contracts().current(domain, product, major).orElseThrow(
                () -> new IllegalStateException("no released version of " + key + " defines its events"));
        EventContract contract = new EventContract(ProductContracts.eventSchema(version), table.schema());
        long maxRecordBytes = deps.properties().maxRecordSize().toBytes();
        try (Consumer<byte[], byte[]> consumer = newConsumer()) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            for (TopicPartition partition : partitions) {
                Long next = committed.get(partition.partition());
                if (next != null) {
                    consumer.seek(partition, next);
                } else {
                    consumer.seekToBeginning(List.of(partition));
                }
            }
            state = "RUNNING";
            lastError = null;
            report();
            Flush flush = new Flush(table);
            Instant nextCheck = deps.clock().instant().plus(CHECK_INTERVAL);
            Instant nextMaintenance = deps.clock().instant().plus(deps.properties().maintenanceInterval());
            Instant nextReport = deps.clock().instant().plus(REPORT_INTERVAL);
            try {
                while (!stopping()) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                    if (!records.isEmpty()) {
                        OffsetDateTime readAt = OffsetDateTime.now(deps.clock()).withOffsetSameInstant(ZoneOffset.UTC);
                        List<Record> rows = new ArrayList<>(records.count());
                        long bytes = 0;
                        boolean newContract = false;
                        for (ConsumerRecord<byte[], byte[]> record : records) {
                            Record row = take(record, contract, maxRecordBytes, readAt, flush, version);
                            if (row == NEW_CONTRACT) {
                                newContract = true;
                                break;
                            }
                            if (row != null) {
                                rows.add(row);
                                bytes += record.serializedValueSize();
                            }
                        }
                        flush.write(rows, bytes);
                        if (newContract) {
                            // Commit up to the event the old contract refused; the next session reads it again.
                            awaitPendingCommit();
                            if (!flush.isEmpty()) {
                                commit(committer, flush, metrics);
                            }
                            log.info("Landing job {} picks up a newly published contract", key);
                            return true;
                        }
                    }
                    // The previous commit's outcome first: a failure ends the session before more is committed.
                    boolean flushed = pendingCommit != null && pendingCommit.isDone() && awaitPendingCommit();
                    if (pendingCommit != null) {
                        reportStalledCommit();
                    }
                    if (flush.due(deps.properties())) {
                        flushed |= awaitPendingCommit();
                        Flush full = flush;
                        pendingCommitSince = System.nanoTime();
                        pendingCommit = commitThread.submit(() -> commit(committer, full, metrics));
                        flush = new Flush(table);
                    }
                    Instant now = deps.clock().instant();
                    // Report after every commit (at most one per flush interval), and every few seconds when idle.
                    if (flushed || now.isAfter(nextReport)) {
                        lag = lag(consumer, committer);
                        metrics.lag.set(lag.values().stream().mapToLong(Long::longValue).sum());
                        report();
                        nextReport = now.plus(REPORT_INTERVAL);
                    }
                    if (now.isAfter(nextMaintenance) || (flushed && tooManySnapshots(table))) {
                        // Expiry commits to the same table object: never beside a landing commit.
                        awaitPendingCommit();
                        expireSnapshots(table);
                        nextMaintenance = now.plus(deps.properties().maintenanceInterval());
                    }
                    if (now.isAfter(nextCheck)) {
                        nextCheck = now.plus(CHECK_INTERVAL);
                        if (contractChanged(version) || partitions(consumer).size() != partitions.size()) {
                            awaitPendingCommit();
                            if (!flush.isEmpty()) {
                                commit(committer, flush, metrics);
                            }
                            log.info("Landing job {} picks up a new contract or new partitions", key);
                            return true;
                        }
                    }
                }
                awaitPendingCommit();
                if (!leaseLost && !flush.isEmpty()) {
                    commit(committer, flush, metrics);
                }
                return false;
            } catch (RuntimeException e) {
                flush.abandon();
                abandonPendingCommit();
                throw e;
            }
        }
    }

    /**
     * Waits for the previous flush's commit; its failure is this thread's (a fence stays a {@link FencedException}).
     * True when a commit was waited for.
     */
    private boolean awaitPendingCommit() {
        Future<?> pending = pendingCommit;
        if (pending == null) {
            return false;
        }
        pendingCommit = null;
        try {
            while (true) {
                try {
                    pending.get(1, TimeUnit.SECONDS);
                    break;
                } catch (TimeoutException stillRunning) {
                    reportStalledCommit();
                }
            }
            if (commitStalled) {
                commitStalled = false;
                state = "RUNNING";
                lastError = null;
                log.info("Landing job {}: the stalled commit went through after {} s", key,
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - pendingCommitSince));
                report();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            commitStalled = false;
            throw new IllegalStateException("interrupted while committing", e);
        } catch (ExecutionException e) {
            // The session fails with the commit's own error, which the status then shows.
            commitStalled = false;
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Says so in the status, once, when the commit in flight has waited {@code stalled-commit-after} or longer: the
     * object store or the catalog does not answer, and Iceberg retries a read of the table's metadata on its own for
     * up to 10 minutes before it gives up.
     */
    private void reportStalledCommit() {
        long waited = System.nanoTime() - pendingCommitSince;
        if (!commitStalled && waited >= deps.properties().stalledCommitAfter().toNanos()) {
            commitStalled = true;
            state = "RETRYING";
            lastError = "a commit has waited " + TimeUnit.NANOSECONDS.toSeconds(waited) + " s for the object store "
                    + "or the catalog; it goes on when they answer";
            log.warn("Landing job {}: {}", key, lastError);
            report();
        }
    }

    /** After a failure: lets a commit in flight end (the next session reads the table it leaves), whatever it gives. */
    private void abandonPendingCommit() {
        try {
            awaitPendingCommit();
        } catch (RuntimeException ignored) {
            // The session failed already; the table's offsets say what this commit did.
        }
    }

    /** Marks an event refused by a contract that a newer published version has replaced. */
    private static final Record NEW_CONTRACT = org.apache.iceberg.data.GenericRecord.create(
            new org.apache.iceberg.Schema(org.apache.iceberg.types.Types.NestedField.optional(1, "marker",
                    org.apache.iceberg.types.Types.IntegerType.get())));

    /**
     * The row of a valid event; an invalid one goes to the dead-letter topic and gives null. Before an event is
     * dead-lettered, the job makes sure its contract is still the newest (at most once a second): events checked
     * over HTTP against a just-published minor version must not be refused by the old one.
     */
    private Record take(ConsumerRecord<byte[], byte[]> record, EventContract contract, long maxRecordBytes,
                        OffsetDateTime readAt, Flush flush, ProductVersionView version) {
        byte[] value = record.value();
        String refusal;
        if (value == null) {
            refusal = "an empty record: it has no value";
        } else if (value.length > maxRecordBytes) {
            refusal = "the record has " + value.length + " bytes, over the limit of " + maxRecordBytes
                    + " bytes";
        } else {
            EventContract.Outcome outcome = contract.read(value);
            if (outcome.accepted()) {
                contract.stamp(outcome.row(), record.partition(), record.offset(),
                        IsoTimestamps.utc(record.timestamp()), readAt);
                flush.advance(record.partition(), record.offset() + 1);
                flush.newestEventMillis = Math.max(flush.newestEventMillis, record.timestamp());
                return outcome.row();
            }
            refusal = outcome.refusal();
            if (System.nanoTime() - lastContractCheck > 1_000_000_000L) {
                lastContractCheck = System.nanoTime();
                if (contractChanged(version)) {
                    return NEW_CONTRACT;
                }
            }
        }
        flush.advance(record.partition(), record.offset() + 1);
        flush.deadLetter(deps.deadLetters().send(deadLetter(record, refusal)));
        return null;
    }

    private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_TOPIC_HEADER, record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_PARTITION_HEADER, String.valueOf(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_OFFSET_HEADER, String.valueOf(record.offset()).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(deadLetterTopic, record.partition(), record.timestamp(), record.key(),
                record.value(), headers);
    }

    private void commit(RawTableCommitter committer, Flush flush, LandingMetrics metrics) {
        long started = System.nanoTime();
        // Dead letters first: offsets past a refused event are committed only once it is safely in the DLQ.
        deps.deadLetters().flush();
        flush.awaitDeadLetters();
        List<DataFile> files = flush.finish();
        committer.commit(files, flush.offsets(), flush.records, flush.deadLetters.size(), flush.newestEventMillis);
        try {
            deps.store().recordFlush(key, deps.clock().instant(), flush.records, flush.deadLetters.size(),
                    flush.newestEventMillis > 0 ? Instant.ofEpochMilli(flush.newestEventMillis) : null);
        } catch (RuntimeException e) {
            // Only the SLO counts miss this commit; the data and offsets are committed.
            log.warn("Landing job {} could not record its commit's counts: {}", key, e.toString());
        }
        long elapsed = System.nanoTime() - started;
        metrics.commits.record(elapsed, TimeUnit.NANOSECONDS);
        metrics.landed.increment(flush.records);
        metrics.deadLettered.increment(flush.deadLetters.size());
        RawTableCommitter.Totals totals = committer.totals();
        landed = totals.records();
        deadLettered = totals.deadLetters();
        lastCommitAt = deps.clock().instant();
        metrics.lastCommitEpochMillis.set(lastCommitAt.toEpochMilli());
        if (!flush.deadLetters.isEmpty()) {
            try {
                deps.deadLettersLanded().accept(new dev.meshplatform.ingestion.api.DeadLettersLanded(domain, product,
                        major, flush.deadLetters.size(), deadLettered, lastCommitAt));
            } catch (RuntimeException e) {
                // Landing goes on: the notification of these dead letters is what is lost, and the log says so.
                log.warn("Landing job {}: {} dead letters were not counted for notifications: {}", key,
                        flush.deadLetters.size(), e.toString());
            }
        }
        double seconds = Math.max(1e-3, (System.nanoTime() - flush.startedNanos) / 1e9);
        perSecond = flush.records / seconds;
        log.debug("Landing job {} committed {} events in {} files ({} dead-lettered)", key, flush.records,
                files.size(), flush.deadLetters.size());
    }

    // The owner keeps its table healthy under frequent commits: old snapshots go; the offsets are in properties,
    // so they survive. A conflict with another committer (compaction) just waits for the next round.
    private void expireSnapshots(Table table) {
        try {
            table.refresh();
            int before = SnapshotRetention.count(table);
            SnapshotRetention.expire(table, deps.clock().millis(), deps.properties().snapshotMaxAge(),
                    deps.properties().snapshotsToKeep(), deps.properties().snapshotsMax());
            table.refresh();
            int after = SnapshotRetention.count(table);
            if (before != after) {
                log.debug("Landing job {} expired {} snapshots", key, before - after);
            }
        } catch (org.apache.iceberg.exceptions.CommitFailedException e) {
            log.debug("Landing job {} postponed snapshot expiry after a conflicting commit", key);
        }
    }

    private boolean tooManySnapshots(Table table) {
        return SnapshotRetention.due(table, deps.properties().snapshotsMax());
    }

    private boolean contractChanged(ProductVersionView loaded) {
        return deps.contracts().current(domain, product, major)
                .map(v -> !v.version().equals(loaded.version()) || v.revision() != loaded.revision())
                .orElse(false);
    }

    private Map<Integer, Long> lag(Consumer<byte[], byte[]> consumer, RawTableCommitter committer) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(5));
        Map<Integer, Long> committed = RawTableCommitter.decode(committer.table().properties()
                .get(RawTableCommitter.OFFSETS));
        Map<Integer, Long> result = new TreeMap<>();
        ends.forEach((tp, end) -> result.put(tp.partition(), Math.max(0, end - committed.getOrDefault(tp.partition(),
                0L))));
        return result;
    }

    private List<TopicPartition> partitions(Consumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    private Consumer<byte[], byte[]> newConsumer() {
        Map<String, Object> config = new HashMap<>(deps.kafka().clientProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, deps.kafka().bootstrapServers());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "mesh-landing-" + key.replace('/', '-'));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Math.max(4 * 1024 * 1024, deps.properties().topicMaxMessageBytes()));
        config.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1024 * 1024);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(config);
    }

    private void report() {
        try {
            deps.store().report(key, instance, epoch, state, landed, deadLettered, perSecond, lag, lastCommitAt,
                    lastError, deps.clock().instant());
        } catch (RuntimeException e) {
            log.warn("Landing job {} could not report its status: {}", key, e.toString());
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        return root == e ? message : message + " (cause: " + root.getClass().getSimpleName() + ": "
                + root.getMessage() + ")";
    }

    /**
     * What one flush holds: written rows, dead letters in flight, and the offsets after them. Rows are written to
     * Parquet on the job's writer thread while the job's own thread polls and checks the next events; at most a
     * few batches wait for it.
     */
    private final class Flush {
        private final Table table;
        /** The offset after the newest event taken, by partition (-1: none yet): set per event, so not a map. */
        private long[] nextOffsets = new long[0];
        private boolean taken;
        private final List<Future<RecordMetadata>> deadLetters = new ArrayList<>();
        private final long startedNanos = System.nanoTime();
        private final Semaphore inFlight = new Semaphore(4);
        private Future<?> lastWrite;
        private RawFileWriter writer;
        private long records;
        private long bytes;
        private long firstEventNanos;
        /** The Kafka timestamp of the newest landed event (0: none yet). */
        private long newestEventMillis;

        Flush(Table table) {
            this.table = table;
        }

        void advance(int partition, long next) {
            if (!taken) {
                firstEventNanos = System.nanoTime();
                taken = true;
            }
            if (partition >= nextOffsets.length) {
                int known = nextOffsets.length;
                nextOffsets = Arrays.copyOf(nextOffsets, partition + 1);
                Arrays.fill(nextOffsets, known, nextOffsets.length, -1);
            }
            nextOffsets[partition] = next;
        }

        /** The offsets to commit: after the newest event taken, by partition. */
        Map<Integer, Long> offsets() {
            Map<Integer, Long> offsets = new HashMap<>();
            for (int partition = 0; partition < nextOffsets.length; partition++) {
                if (nextOffsets[partition] >= 0) {
                    offsets.put(partition, nextOffsets[partition]);
                }
            }
            return offsets;
        }

        void write(List<Record> rows, long size) {
            if (rows.isEmpty()) {
                return;
            }
            if (writer == null) {
                writer = new RawFileWriter(table, ++task);
            }
            RawFileWriter target = writer;
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while handing rows to the writer", e);
            }
            lastWrite = writerThread.submit(() -> {
                try {
                    target.write(rows);
                } finally {
                    inFlight.release();
                }
            });
            records += rows.size();
            bytes += size;
        }

        private void awaitWrites() {
            if (lastWrite == null) {
                return;
            }
            try {
                // One writer thread runs batches in order: the last one done means all are.
                lastWrite.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException(e.getCause());
            }
        }

        void deadLetter(Future<RecordMetadata> send) {
            deadLetters.add(send);
        }

        boolean isEmpty() {
            return !taken;
        }

        boolean due(IngestionProperties properties) {
            return taken && (records >= properties.flushRecords()
                    || bytes >= properties.flushSize().toBytes()
                    || System.nanoTime() - firstEventNanos >= properties.flushInterval().toNanos());
        }

        void awaitDeadLetters() {
            for (Future<RecordMetadata> send : deadLetters) {
                try {
                    send.get(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while sending dead letters", e);
                } catch (Exception e) {
                    throw new IllegalStateException("a dead letter could not be sent to " + deadLetterTopic + ": "
                            + e.getMessage(), e);
                }
            }
        }

        List<DataFile> finish() {
            awaitWrites();
            return writer == null ? List.of() : writer.finish();
        }

        void abandon() {
            try {
                awaitWrites();
            } catch (RuntimeException ignored) {
                // Abandoning after a failure: the files are deleted below either way.
            }
            if (writer != null) {
                writer.abandon();
            }
        }
    }
}
