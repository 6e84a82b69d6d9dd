package dev.meshplatform.app.bench;

import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.ingestion.api.KafkaConnection;
import dev.meshplatform.ingestion.api.RawTables;
import dev.meshplatform.processing.api.RunCatalog;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.awaitility.Awaitility.await;

/**
 * Landing throughput and latency on this machine, with the bare ceiling in the same run. Prints numbers; asserts
 * nothing about speed. Run: {@code ./mvnw -Pbench -pl platform-api -am verify} (docs/benchmarks.md).
 *
 * <ol>
 *   <li>Throughput: {@code mesh.bench.events} events of ~200 bytes are produced to the product's topic with the
 *   landing job stopped; then the job starts and the time until all are in committed snapshots is measured.</li>
 *   <li>Latency: events at a fixed rate for a while; for each event, the commit time of the snapshot that made it
 *   visible minus the time it was produced (p50, p99).</li>
 *   <li>Ceiling: on the same broker and partitions, a bare pipeline that only polls, parses and writes Parquet
 *   files (no contract check, no Iceberg table, no commit): one thread polls and parses, another writes.</li>
 *   <li>Peer: Spark Structured Streaming ({@link SparkStreamingPeer}, {@code local[2]}, a JVM of its own) lands the
 *   same topics into Iceberg tables of the raw table's schema in the same catalog and object store, one micro-batch
 *   per flush interval of at most the platform's events per commit; warmed by one query over a smaller backlog, then
 *   measured as the platform is: throughput over the same backlog, latency at the same rate.</li>
 * </ol>
 */
class LandingBenchmark extends BenchmarkPlatform {

    static final int PARTITIONS = 6;
    static final long EVENTS = Long.getLong("mesh.bench.events", 2_000_000);
    /** The latency runs' fixed rate in events a second; unset, half the landing rate this run measured. */
    static final Integer RATE_SETTING = Integer.getInteger("mesh.bench.rate");
    static final int LATENCY_SECONDS = Integer.getInteger("mesh.bench.latency-seconds", 30);
    static final String FLUSH_INTERVAL = System.getProperty("mesh.bench.flush-interval", "250ms");
    /** Where to keep a flight recording of the throughput run (the whole JVM: landing, Kafka, S3 server). */
    static final String JFR = System.getProperty("mesh.bench.jfr");
    /** The peer's warm-up backlog: a tenth of the measured one, enough for the JIT to compile the hot paths. */
    static final long WARM_UP_EVENTS = Math.max(50_000, EVENTS / 10);
    static final Namespace PEER_NAMESPACE = Namespace.of("bench_peer");
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** The ceiling's parser, its buffers pooled per thread as the landing job's are. */
    static final JsonMapper BARE_JSON = JsonMapper.builder(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.threadLocalPool()).build()).build();
    @DynamicPropertySource
    static void landingSettings(DynamicPropertyRegistry registry) {
        registry.add("mesh.ingestion.flush-interval", () -> FLUSH_INTERVAL);
    }

    /** Events a second in the latency runs, for the platform and the peer alike. */
    int rate;
    @Autowired
    KafkaConnection kafka;
    @Autowired
    Catalog catalog;
    @Autowired
    RunCatalog runCatalog;

    static byte[] event(long id, long sentAtMillis) {
        String text = "{\"id\":" + id + ",\"name\":\"person " + id + "\",\"age\":" + (18 + id % 60)
                + ",\"country\":\"" + (id % 3 == 0 ? "NL" : id % 3 == 1 ? "DE" : "FR")
                + "\",\"seen_at\":\"2026-11-24T10:00:00Z\",\"sent_at\":" + sentAtMillis
                + ",\"note\":\"lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\"}";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static ObjectNode descriptor() {
        ObjectNode d = JSON.createObjectNode();
        d.put("title", "Benchmark people");
        ArrayNode ports = d.putArray("inputPorts");
        ports.addObject().put("name", "events").put("type", "kafka").put("partitions", PARTITIONS)
                .put("startLanding", false);
        ArrayNode schema = d.putArray("schema");
        schema.addObject().put("name", "id").put("type", "long").put("required", true);
        schema.addObject().put("name", "name").put("type", "string").put("required", true);
        schema.addObject().put("name", "age").put("type", "int");
        schema.addObject().put("name", "country").put("type", "string");
        schema.addObject().put("name", "seen_at").put("type", "timestamp");
        schema.addObject().put("name", "sent_at").put("type", "long");
        schema.addObject().put("name", "note").put("type", "string");
        return DescriptorJson.governed(d);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    private String publish(Api api, String domain, String product) {
        api.post("/api/v1/domains", ADMIN, Map.of("name", domain, "title", "bench", "ownerTeam", "bench"));
        String version = "/api/v1/domains/" + domain + "/products/" + product + "/versions/1.0.0";
        require(api.put(version, ADMIN, descriptor()), 201);
        require(api.post(version + "/transitions", ADMIN, Map.of("to", "PUBLISHED")), 200);
        return RawTables.topic(domain, product, 1);
    }

    private static long committedRecords(Table table) {
        table.refresh();
        Snapshot current = table.currentSnapshot();
        return current == null ? 0 : Long.parseLong(current.summary().getOrDefault("total-records", "0"));
    }

    @Test
    void landing() throws Exception {
        Api api = api();
        String domain = "bench";
        System.out.printf("%n=== Landing benchmark: %d events of %d bytes, %d partitions, flush interval %s, %d cores ===%n",
                EVENTS, event(1, System.currentTimeMillis()).length, PARTITIONS, FLUSH_INTERVAL,
                Runtime.getRuntime().availableProcessors());

        // 1. Throughput: a backlog, then the landing job.
        String topic = publish(api, domain, "throughput");
        long produceStart = System.nanoTime();
        produceBacklog(topic, EVENTS);
        double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
        System.out.printf("backlog produced: %.0f events/s (%.1f s)%n", EVENTS / produceSeconds, produceSeconds);
        Table table = catalog.loadTable(RawTables.rawTable(domain, "throughput", 1));
        Recording recording = JFR == null ? null : new Recording(Configuration.getConfiguration("profile"));
        if (recording != null) {
            recording.start();
        }
        long start = System.nanoTime();
        require(api.request("POST", "/api/v1/domains/bench/products/throughput/landing/start").token(ADMIN).send(),
                200);
        await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> committedRecords(table) >= EVENTS);
        double landSeconds = (System.nanoTime() - start) / 1e9;
        if (recording != null) {
            recording.dump(Path.of(JFR));
            recording.close();
        }
        long bytes = EVENTS * event(1, System.currentTimeMillis()).length;
        double landingRate = EVENTS / landSeconds;
        System.out.printf("landing: %.1f MB/s (%d events in %.1f s, job start included)%n",
                bytes / landSeconds / 1e6, EVENTS, landSeconds);
        require(api.request("POST", "/api/v1/domains/bench/products/throughput/landing/stop").token(ADMIN).send(),
                200);
        long eventsPerCommit = eventsPerCommit(table);
        System.out.printf("landing commits of the backlog: %d events each on average%n", eventsPerCommit);
        if (recording != null) {
            FlightProfile.print(Path.of(JFR));
        }

        // 2. Latency at a fixed rate.
        rate = RATE_SETTING != null ? RATE_SETTING : (int) (landingRate / 2 / 1000) * 1000;
        String latencyTopic = publish(api, domain, "latency");
        require(api.request("POST", "/api/v1/domains/bench/products/latency/landing/start").token(ADMIN).send(),
                200);
        Table latencyTable = catalog.loadTable(RawTables.rawTable(domain, "latency", 1));
        await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(api.get(
                "/api/v1/domains/bench/products/latency/landing", ADMIN).json().path("items").get(0).path("state").asString()));
        long expected = produceAtRate(latencyTopic);
        await().atMost(Duration.ofMinutes(5)).until(() -> committedRecords(latencyTable) >= expected);
        long platformP99 = printLatencies("platform", latencyTable);
        // The peer lands the same topic next: the platform's job must neither compete for the cores nor commit.
        require(api.request("POST", "/api/v1/domains/bench/products/latency/landing/stop").token(ADMIN).send(),
                200);

        // 3. Ceiling: poll, parse, write Parquet; no contract, no table, no commit.
        double ceiling = ceiling(topic);
        System.out.printf("bare ceiling (poll + parse | write Parquet, 2 threads): %.0f events/s%n", ceiling);

        // 4. The peer: Spark Structured Streaming on the same topics, warmed by one query, then measured alike.
        String warmUpTopic = publish(api, domain, "warmup");
        produceBacklog(warmUpTopic, WARM_UP_EVENTS);
        Duration trigger = DurationStyle.detectAndParse(FLUSH_INTERVAL);
        // The detail lines start "peer": "spark structured streaming peer:" is the one line of its figure.
        System.out.printf("peer settings: local[2], trigger every %d ms, maxOffsetsPerTrigger %d, "
                + "warm-up %d events%n", trigger.toMillis(), eventsPerCommit, WARM_UP_EVENTS);
        double peerRate;
        long peerP99;
        try (SparkPeerProcess peer = new SparkPeerProcess(DATA.resolve("spark-peer"), "2g", kafka.bootstrapServers(),
                runCatalog.properties(), eventsPerCommit, trigger)) {
            System.out.println("peer log: " + peer.log());
            Table warmUp = peerTable("warmup", table);
            peer.land(warmUpTopic, peerId("warmup"), "earliest");
            awaitCommitted(peer, warmUp, WARM_UP_EVENTS, Duration.ofMinutes(10));
            peer.awaitReply("running", Duration.ofMinutes(1));
            peer.stop();

            Table peerThroughput = peerTable("throughput", table);
            long peerStart = System.nanoTime();
            peer.land(topic, peerId("throughput"), "earliest");
            awaitCommitted(peer, peerThroughput, EVENTS, Duration.ofMinutes(30));
            double peerSeconds = (System.nanoTime() - peerStart) / 1e9;
            peerRate = EVENTS / peerSeconds;
            System.out.printf("peer: %.1f MB/s (%d events in %.1f s, query start "
                    + "included), %d events per commit on average%n", bytes / peerSeconds / 1e6, EVENTS, peerSeconds,
                    eventsPerCommit(peerThroughput));
            peer.awaitReply("running", Duration.ofMinutes(1));
            peer.stop();

            Table peerLatency = peerTable("latency", table);
            // From the topic's end, as the platform's job was when the events began: only this run's events.
            peer.land(latencyTopic, peerId("latency"), endOffsets(latencyTopic));
            peer.awaitReply("running", Duration.ofMinutes(2));
            long peerExpected = produceAtRate(latencyTopic);
            awaitCommitted(peer, peerLatency, peerExpected, Duration.ofMinutes(5));
            peerP99 = printLatencies("peer", peerLatency);
            peer.stop();
        }

        System.out.printf("%nlanding throughput: %.0f events/s%n", landingRate);
        System.out.printf("landing / ceiling: %.2f%n", landingRate / ceiling);
        System.out.printf("spark structured streaming peer: %.0f events/s%n", peerRate);
        System.out.printf("platform / peer: %.2f%n", landingRate / peerRate);
        System.out.printf("latency p99 at %d events/s: platform %d ms, peer %d ms%n%n", rate, platformP99, peerP99);
    }

    private void produceBacklog(String topic, long events) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            long now = System.currentTimeMillis();
            for (long id = 1; id <= events; id++) {
                producer.send(new ProducerRecord<>(topic, event(id, now)));
            }
            producer.flush();
        }
    }

    /** Produces {@link #rate} events a second for {@code LATENCY_SECONDS}, each stamped when sent; returns how many. */
    private long produceAtRate(String topic) {
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            long begin = System.nanoTime();
            long end = begin + Duration.ofSeconds(LATENCY_SECONDS).toNanos();
            while (System.nanoTime() < end) {
                long due = (System.nanoTime() - begin) * rate / 1_000_000_000L;
                while (sent < due) {
                    sent++;
                    producer.send(new ProducerRecord<>(topic, event(sent, System.currentTimeMillis())));
                }
                LockSupport.parkNanos(1_000_000);
            }
            producer.flush();
        }
        return sent;
    }

    private long printLatencies(String who, Table table) throws Exception {
        List<Long> latencies = latencies(table);
        Collections.sort(latencies);
        long p99 = percentile(latencies, 0.99);
        System.out.printf("%s: end-to-end latency at %d events/s for %d s (produced -> in a committed snapshot): "
                        + "p50 %d ms, p99 %d ms, max %d ms over %d events%n", who, rate, LATENCY_SECONDS,
                percentile(latencies, 0.50), p99, latencies.get(latencies.size() - 1), latencies.size());
        List<Long> gaps = commitGaps(table);
        Collections.sort(gaps);
        if (!gaps.isEmpty()) {
            // Where a slow event waited: for a commit in a slow cadence, or in a flush that held too much.
            System.out.printf("%s: %d commits that added events, time between them p50 %d ms, p99 %d ms, max %d ms; "
                    + "%d events per commit on average%n", who, gaps.size() + 1, percentile(gaps, 0.50),
                    percentile(gaps, 0.99), gaps.get(gaps.size() - 1), eventsPerCommit(table));
        }
        return p99;
    }

    /** The time between consecutive snapshots that added events (compactions and expiries left out). */
    private static List<Long> commitGaps(Table table) {
        List<Snapshot> appends = new ArrayList<>();
        for (Snapshot snapshot : table.snapshots()) {
            if (Long.parseLong(snapshot.summary().getOrDefault("added-records", "0")) > 0
                    && DataOperations.APPEND.equals(snapshot.operation())) {
                appends.add(snapshot);
            }
        }
        appends.sort((a, b) -> Long.compare(a.timestampMillis(), b.timestampMillis()));
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < appends.size(); i++) {
            gaps.add(appends.get(i).timestampMillis() - appends.get(i - 1).timestampMillis());
        }
        return gaps;
    }

    /** The mean of the events each data commit added, over the snapshots the table still has. */
    private static long eventsPerCommit(Table table) {
        table.refresh();
        return Math.round(StreamSupport.stream(table.snapshots().spliterator(), false)
                .mapToLong(snapshot -> Long.parseLong(snapshot.summary().getOrDefault("added-records", "0")))
                .filter(added -> added > 0).average().orElse(0));
    }

    private static TableIdentifier peerId(String name) {
        return TableIdentifier.of(PEER_NAMESPACE, name);
    }

    /** A table for the peer with the raw table's schema, partitioning and properties, in the platform's catalog. */
    private Table peerTable(String name, Table raw) {
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(PEER_NAMESPACE)) {
            namespaces.createNamespace(PEER_NAMESPACE);
        }
        return catalog.buildTable(peerId(name), raw.schema()).withPartitionSpec(raw.spec())
                .withProperties(raw.properties()).create();
    }

    private static void awaitCommitted(SparkPeerProcess peer, Table table, long events, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            peer.requireAlive();
            return committedRecords(table) >= events;
        });
    }

    /** The topic's end offsets in the form Spark's Kafka source takes as {@code startingOffsets}. */
    private String endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            return consumer.endOffsets(partitions).entrySet().stream()
                    .map(end -> "\"" + end.getKey().partition() + "\":" + end.getValue())
                    .collect(Collectors.joining(",", "{\"" + topic + "\":{", "}}"));
        }
    }

    private List<Long> latencies(Table table) throws Exception {
        table.refresh();
        List<Long> latencies = new ArrayList<>();
        Long previous = null;
        List<Snapshot> snapshots = new ArrayList<>();
        table.snapshots().forEach(snapshots::add);
        snapshots.sort((a, b) -> Long.compare(a.sequenceNumber(), b.sequenceNumber()));
        for (Snapshot snapshot : snapshots) {
            if (previous != null || snapshot.addedDataFiles(table.io()).iterator().hasNext()) {
                var scan = IcebergGenerics.read(table).select("sent_at");
                scan = previous == null ? scan.useSnapshot(snapshot.snapshotId())
                        : scan.appendsBetween(previous, snapshot.snapshotId());
                try (CloseableIterable<Record> rows = scan.build()) {
                    for (Record row : rows) {
                        latencies.add(snapshot.timestampMillis() - (Long) row.getField("sent_at"));
                    }
                }
            }
            previous = snapshot.snapshotId();
        }
        return latencies;
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /**
     * The bare pipeline's parse: one pass of a streaming parser straight into the row, no check at all (a tree per
     * event made the ceiling slower than the platform's own checked reading).
     */
    private static Record bareRow(byte[] json, GenericRecord row) {
        try (JsonParser parser = BARE_JSON.createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "id" -> row.set(0, parser.getLongValue());
                    case "name" -> row.set(1, parser.getString());
                    case "age" -> row.set(2, parser.getIntValue());
                    case "country" -> row.set(3, parser.getString());
                    case "seen_at" -> row.set(4, parser.getString());
                    case "sent_at" -> row.set(5, parser.getLongValue());
                    case "note" -> row.set(6, parser.getString());
                    default -> parser.skipChildren();
                }
            }
        }
        return row;
    }

    private double ceiling(String topic) throws Exception {
        Schema schema = new Schema(
                Types.NestedField.optional(1, "id", Types.LongType.get()),
                Types.NestedField.optional(2, "name", Types.StringType.get()),
                Types.NestedField.optional(3, "age", Types.IntegerType.get()),
                Types.NestedField.optional(4, "country", Types.StringType.get()),
                Types.NestedField.optional(5, "seen_at", Types.StringType.get()),
                Types.NestedField.optional(6, "sent_at", Types.LongType.get()),
                Types.NestedField.optional(7, "note", Types.StringType.get()));
        Path dir = Files.createTempDirectory("mesh-bench-ceiling");
        BlockingQueue<List<Record>> queue = new ArrayBlockingQueue<>(64);
        List<Record> poison = List.of();
        long[] written = {0};
        Thread writer = new Thread(() -> {
            try {
                FileAppender<Record> appender = null;
                int file = 0;
                while (true) {
                    List<Record> batch = queue.take();
                    if (batch == poison) {
                        break;
                    }
                    if (appender == null) {
                        appender = Parquet.write(org.apache.iceberg.Files.localOutput(
                                        new File(dir.toFile(), "part-" + file++ + ".parquet")))
                                .schema(schema).createWriterFunc(GenericParquetWriter::create).build();
                    }
                    appender.addAll(batch);
                    written[0] += batch.size();
                    if (appender.length() > 128L * 1024 * 1024) {
                        appender.close();
                        appender = null;
                    }
                }
                if (appender != null) {
                    appender.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "ceiling-writer");
        long start = System.nanoTime();
        writer.start();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long read = 0;
            GenericRecord template = GenericRecord.create(schema);
            while (read < EVENTS) {
                List<Record> batch = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    batch.add(bareRow(record.value(), template.copy()));
                }
                read += batch.size();
                if (!batch.isEmpty()) {
                    queue.put(batch);
                }
            }
        }
        queue.put(poison);
        writer.join();
        return written[0] / ((System.nanoTime() - start) / 1e9);
    }
}
