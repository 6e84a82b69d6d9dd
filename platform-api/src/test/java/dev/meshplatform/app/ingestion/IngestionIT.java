package dev.meshplatform.app.ingestion;

import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.Lake;
import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.ingestion.api.KafkaConnection;
import dev.meshplatform.ingestion.api.RawTables;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events sent over HTTP and with a plain Kafka producer land in the product's raw Iceberg table, each exactly once
 * and equal to what was sent; invalid ones are dead-lettered with their reason and the stream goes on.
 */
class IngestionIT extends PlatformIT {

    @Autowired
    Catalog catalog;
    @Autowired
    KafkaConnection kafka;
    @Autowired
    Admin admin;

    private Lake lake;
    private String domain;
    private String owner;

    @BeforeEach
    void product() {
        lake = new Lake(catalog, kafka);
        domain = createDomain("ingest");
        owner = issueKey("DOMAIN_OWNER", domain);
    }

    static ObjectNode peopleDescriptor(int partitions) {
        ObjectNode d = Api.JSON.createObjectNode();
        d.put("title", "People");
        d.put("description", "people events");
        ArrayNode ports = d.putArray("inputPorts");
        ports.addObject().put("name", "events").put("type", "kafka").put("partitions", partitions);
        ArrayNode schema = d.putArray("schema");
        schema.addObject().put("name", "id").put("type", "long").put("required", true);
        schema.addObject().put("name", "name").put("type", "string").put("required", true);
        schema.addObject().put("name", "age").put("type", "int");
        schema.addObject().put("name", "country").put("type", "string");
        schema.addObject().put("name", "seen_at").put("type", "timestamp");
        return DescriptorJson.governed(d);
    }

    static String event(long id) {
        return "{\"id\":" + id + ",\"name\":\"person " + id + "\",\"age\":" + (20 + id % 50)
                + ",\"country\":\"" + (id % 2 == 0 ? "NL" : "DE") + "\",\"seen_at\":\"2026-11-24T10:00:00Z\"}";
    }

    private void publish(String product, ObjectNode descriptor) {
        Api.Response applied = api.put(versionPath(domain, product, "1.0.0"), owner, descriptor);
        assertThat(applied.status()).as(applied.body()).isEqualTo(201);
        Api.Response published = api.post(versionPath(domain, product, "1.0.0") + "/transitions", owner,
                Map.of("to", "PUBLISHED"));
        assertThat(published.status()).as(published.body()).isEqualTo(200);
    }

    @Test
    void eventsOverHttpAndKafkaLandExactlyOnceAndBadOnesAreDeadLettered() throws Exception {
        publish("people", peopleDescriptor(3));
        String topic = RawTables.topic(domain, "people", 1);
        // Created on publication; another client sees a new topic once the broker's metadata has it.
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.listTopics().names().get()
                .containsAll(List.of(topic, topic + ".dlq")));
        Table table = lake.rawTable(domain, "people", 1);
        assertThat(table.schema().columns().stream().map(c -> c.name()).toList()).containsExactly("id", "name",
                "age", "country", "seen_at", RawTables.SOURCE_PARTITION, RawTables.SOURCE_OFFSET,
                RawTables.KAFKA_TIMESTAMP, RawTables.INGESTED_AT);
        assertThat(table.spec().fields()).singleElement().satisfies(f -> assertThat(f.transform().toString())
                .isEqualTo("day"));

        // 1..40 as a JSON array, with two bad events in it.
        StringBuilder array = new StringBuilder("[");
        for (long id = 1; id <= 40; id++) {
            array.append(event(id)).append(',');
            if (id == 10) {
                array.append("{\"id\":\"ten\",\"name\":\"x\"},");
            }
        }
        array.append("{\"name\":\"no id\"}]");
        Api.Response batch = api.request("POST", "/api/v1/domains/" + domain + "/products/people/events")
                .token(owner).json(array.toString()).send();
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        assertThat(batch.json().path("accepted").asInt()).isEqualTo(40);
        assertThat(batch.json().path("rejected").get(0).path("index").asInt()).isEqualTo(10);
        assertThat(batch.json().path("rejected").get(0).path("reason").asString())
                .isEqualTo("field 'id' must be a long, got a string \"ten\"");
        assertThat(batch.json().path("rejected").get(1).path("index").asInt()).isEqualTo(41);

        // 41..80 as NDJSON, twice with the same Idempotency-Key: produced once.
        String ndjson = java.util.stream.LongStream.rangeClosed(41, 80).mapToObj(IngestionIT::event)
                .collect(Collectors.joining("\n")) + "\n";
        for (int attempt = 0; attempt < 2; attempt++) {
            Api.Response sent = api.request("POST", "/api/v1/domains/" + domain + "/products/people/events")
                    .token(owner).header("Idempotency-Key", "batch-41-80")
                    .body("application/x-ndjson", ndjson).send();
            assertThat(sent.status()).as(sent.body()).isEqualTo(200);
            assertThat(sent.json().path("accepted").asInt()).isEqualTo(40);
            assertThat(sent.header("Idempotent-Replayed")).isEqualTo(attempt == 0 ? null : "true");
        }
        Api.Response reused = api.request("POST", "/api/v1/domains/" + domain + "/products/people/events")
                .token(owner).header("Idempotency-Key", "batch-41-80").body("application/x-ndjson", event(999))
                .send();
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.code()).isEqualTo("idempotency-key-reused");

        // 81..120 with a plain Kafka producer, and bad records no HTTP check stopped.
        Map<String, String> badRecords = new TreeMap<>();
        badRecords.put("{not json", "malformed JSON");
        badRecords.put("{\"id\": 5.5, \"name\": \"x\"}", "field 'id' must be a long");
        badRecords.put("{\"id\": 7}", "missing required field 'name'");
        badRecords.put("{\"id\": 8, \"name\": \"x\", \"shoe_size\": 44}", "unknown field 'shoe_size'");
        String oversized = "{\"id\": 9, \"name\": \"" + "x".repeat(70 * 1024) + "\"}";
        badRecords.put(oversized, "the record has");
        try (KafkaProducer<byte[], byte[]> producer = lake.producer()) {
            for (long id = 81; id <= 120; id++) {
                producer.send(new ProducerRecord<>(topic, bytes(event(id))));
                if (id == 100) {
                    for (String bad : badRecords.keySet()) {
                        producer.send(new ProducerRecord<>(topic, bytes(bad)));
                    }
                }
            }
            producer.flush();
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> lake.rows(domain, "people", 1).size() >= 120);
        List<Record> rows = lake.rows(domain, "people", 1);
        assertThat(rows).hasSize(120);
        Map<Long, Record> byId = new HashMap<>();
        rows.forEach(r -> byId.put((Long) r.getField("id"), r));
        assertThat(byId.keySet()).hasSize(120).containsAll(java.util.stream.LongStream.rangeClosed(1, 120).boxed()
                .toList());
        for (Record row : rows) {
            long id = (Long) row.getField("id");
            assertThat(row.getField("name")).isEqualTo("person " + id);
            assertThat(row.getField("age")).isEqualTo((int) (20 + id % 50));
            assertThat(row.getField("country")).isEqualTo(id % 2 == 0 ? "NL" : "DE");
            assertThat(row.getField("seen_at").toString()).isEqualTo("2026-11-24T10:00Z");
            assertThat(row.getField(RawTables.INGESTED_AT)).isNotNull();
        }
        Set<String> positions = rows.stream().map(r -> r.getField(RawTables.SOURCE_PARTITION) + "/"
                + r.getField(RawTables.SOURCE_OFFSET)).collect(Collectors.toSet());
        assertThat(positions).hasSize(120);

        await().atMost(Duration.ofSeconds(30)).until(() -> lake.readAll(topic + ".dlq").size() >= badRecords.size());
        List<ConsumerRecord<byte[], byte[]>> deadLetters = lake.readAll(topic + ".dlq");
        assertThat(deadLetters).hasSize(badRecords.size());
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> letter : deadLetters) {
            String reason = new String(letter.headers().lastHeader("mesh.dlq.reason").value(), StandardCharsets.UTF_8);
            reasons.add(reason);
            String original = new String(letter.value(), StandardCharsets.UTF_8);
            assertThat(reason).startsWith(badRecords.get(original));
            assertThat(letter.headers().lastHeader("mesh.dlq.source.offset")).isNotNull();
            assertThat(letter.headers().lastHeader("mesh.dlq.source.partition")).isNotNull();
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Api.Response status = api.get("/api/v1/domains/" + domain + "/products/people/landing", owner);
            assertThat(status.json().path("items").get(0).path("state").asString()).isEqualTo("RUNNING");
            assertThat(status.json().path("items").get(0).path("recordsLanded").asLong()).isEqualTo(120);
            assertThat(status.json().path("items").get(0).path("recordsDeadLettered").asLong()).isEqualTo(badRecords.size());
            assertThat(status.json().path("items").get(0).path("owner").asString()).isNotBlank();
            status.json().path("items").get(0).path("lag").forEach(l -> assertThat(l.asLong()).isZero());
        });

        // Through the API: the owning domain sees why, where and the events; an admin all but the events.
        String letters = "/api/v1/domains/" + domain + "/products/people/landing/dead-letters";
        tools.jackson.databind.JsonNode listed = api.get(letters, owner).json();
        assertThat(listed.path("total").asInt()).as(listed.toString()).isEqualTo(badRecords.size());
        for (tools.jackson.databind.JsonNode letter : listed.path("items")) {
            String payload = letter.path("payload").asString();
            String sent = badRecords.keySet().stream().filter(bad -> bad.startsWith(payload)).findFirst()
                    .orElseThrow();
            assertThat(payload).as("the event as sent, its first 1,000 characters")
                    .hasSize(Math.min(sent.length(), 1_000));
            assertThat(letter.path("payloadBytes").asInt()).isEqualTo(sent.getBytes(StandardCharsets.UTF_8).length);
            assertThat(letter.path("reason").asString()).startsWith(badRecords.get(sent));
            assertThat(letter.path("sourcePartition").isInt()).isTrue();
            assertThat(letter.path("sourceOffset").asLong()).isNotNegative();
        }
        assertThat(api.get(letters + "?limit=2", owner).json().path("items")).hasSize(Math.min(2, badRecords.size()));
        tools.jackson.databind.JsonNode forAdmin = api.get(letters, ADMIN_KEY).json();
        assertThat(forAdmin.path("total").asInt()).isEqualTo(badRecords.size());
        forAdmin.path("items").forEach(letter -> {
            assertThat(letter.path("payload").isNull()).as("an admin does not read the raw data").isTrue();
            assertThat(letter.path("reason").asString()).isNotBlank();
        });
        assertThat(api.get(letters, issueKey("CONSUMER", domain)).status()).isEqualTo(403);
        assertThat(api.get(letters + "?limit=0", owner).code()).isEqualTo("invalid-parameter");
        assertThat(api.get(letters + "?major=7", owner).code()).isEqualTo("major-not-found");
        assertThat(api.get("/api/v1/domains/" + domain + "/products/nobody/landing/dead-letters", owner).status())
                .isEqualTo(404);
    }

    @Test
    void aStoppedJobLandsNothingUntilItStartsAgain() {
        publish("orders", peopleDescriptor(2));
        String path = "/api/v1/domains/" + domain + "/products/orders";
        assertThat(api.post(path + "/events", owner, "[" + event(1) + "]").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> lake.rows(domain, "orders", 1).size() == 1);

        Api.Response stopped = api.request("POST", path + "/landing/stop").token(owner).send();
        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get(path + "/landing", owner).json().path("items").get(0)
                .path("state").asString().equals("STOPPED"));
        assertThat(api.post(path + "/events", owner, "[" + event(2) + "," + event(3) + "]").json()
                .path("accepted").asInt()).isEqualTo(2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> lake.rows(domain, "orders", 1).size() == 1);

        assertThat(api.request("POST", path + "/landing/start").token(owner).send().status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> lake.rows(domain, "orders", 1).size() == 3);
        assertThat(api.get(path + "/landing", owner).json().path("items").get(0).path("desiredState").asString())
                .isEqualTo("RUNNING");
    }

    @Test
    void oldSnapshotsAreExpiredWhileLandingGoesOn() {
        publish("busy", peopleDescriptor(1));
        String path = "/api/v1/domains/" + domain + "/products/busy/events";
        for (int i = 1; i <= 32; i++) {
            long id = i;
            assertThat(api.post(path, owner, "[" + event(id) + "]").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> lake.rows(domain, "busy", 1).size() == id);
        }
        // 32 commits (and the fence) made more snapshots than the 25 kept; expiry runs every second.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Table table = lake.rawTable(domain, "busy", 1);
            int snapshots = 0;
            for (var ignored : table.snapshots()) {
                snapshots++;
            }
            assertThat(snapshots).isLessThanOrEqualTo(25);
        });
        assertThat(lake.rows(domain, "busy", 1)).hasSize(32);
    }

    @Test
    void aNewMinorVersionEvolvesTheTableAndTheJobTakesTheNewField() {
        publish("evolving", peopleDescriptor(1));
        String path = "/api/v1/domains/" + domain + "/products/evolving/events";
        assertThat(api.post(path, owner, "[" + event(1) + "]").json().path("accepted").asInt()).isEqualTo(1);
        String withEmail = "{\"id\":2,\"name\":\"x\",\"email\":\"x@example.com\"}";
        assertThat(api.post(path, owner, "[" + withEmail + "]").json().path("rejected").get(0).path("reason")
                .asString()).isEqualTo("unknown field 'email'");

        ObjectNode next = peopleDescriptor(1);
        ((ArrayNode) next.path("schema")).addObject().put("name", "email").put("type", "string");
        DescriptorJson.governed(next);
        assertThat(api.put(versionPath(domain, "evolving", "1.1.0"), owner, next).status()).isEqualTo(201);
        assertThat(api.post(versionPath(domain, "evolving", "1.1.0") + "/transitions", owner,
                Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
        assertThat(lake.rawTable(domain, "evolving", 1).schema().findField("email")).isNotNull();

        Api.Response accepted = api.post(path, owner, "[" + withEmail + "]");
        assertThat(accepted.json().path("accepted").asInt()).as(accepted.body()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> lake.rows(domain, "evolving", 1).size() == 2);
        Map<Long, Object> emails = new HashMap<>();
        lake.rows(domain, "evolving", 1).forEach(r -> emails.put((Long) r.getField("id"), r.getField("email")));
        assertThat(emails).containsEntry(1L, null).containsEntry(2L, "x@example.com");

        // The job's numbers reach Prometheus, tagged with the product.
        assertThat(api.get("/actuator/prometheus", ADMIN_KEY).body())
                .contains("mesh_landing_records_total{domain=\"" + domain + "\",major=\"1\",outcome=\"landed\"",
                        "# HELP mesh_landing_records_total events the landing job handled, by outcome");
    }

    @Test
    void deadLettersAreReplayedOnceWhenANewMinorVersionAcceptsThem() throws Exception {
        publish("replayed", peopleDescriptor(2));
        String topic = RawTables.topic(domain, "replayed", 1);
        String path = "/api/v1/domains/" + domain + "/products/replayed/landing/dead-letters";
        // Refused under 1.0.0: five with a field 1.1.0 adds, two that 1.1.0 refuses too, one valid event.
        Map<String, String> stillInvalid = Map.of(
                "{\"id\":\"six\",\"name\":\"x\",\"email\":\"six@example.com\"}",
                "field 'id' must be a long, got a string \"six\"",
                "{\"id\":7,\"email\":\"seven@example.com\"}", "missing required field 'name'");
        try (KafkaProducer<byte[], byte[]> producer = lake.producer()) {
            for (long id = 1; id <= 5; id++) {
                producer.send(new ProducerRecord<>(topic, bytes("{\"id\":" + id + ",\"name\":\"person " + id
                        + "\",\"email\":\"p" + id + "@example.com\"}")));
            }
            for (String bad : stillInvalid.keySet()) {
                producer.send(new ProducerRecord<>(topic, bytes(bad)));
            }
            producer.send(new ProducerRecord<>(topic, bytes(event(100))));
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get(path, owner).json().path("total").asInt() == 7);
        // The unknown field is found first in the event without a name.
        assertThat(api.get(path, owner).json().path("items")).allSatisfy(letter -> {
            assertThat(letter.path("replayState").isNull()).isTrue();
            assertThat(letter.path("reason").asString()).isIn("unknown field 'email'",
                    "field 'id' must be a long, got a string \"six\"");
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> lake.rows(domain, "replayed", 1).size() == 1);

        // Under 1.0.0 a replay produces nothing: every letter is still refused, and stays.
        String replay = path + "/replay";
        Api.Response early = api.post(replay, owner, Map.of("major", 1, "all", true));
        assertThat(early.status()).as(early.body()).isEqualTo(200);
        assertThat(early.json().path("replayed").asInt()).isZero();
        assertThat(early.json().path("letters")).hasSize(7)
                .allSatisfy(l -> assertThat(l.path("outcome").asString()).isEqualTo("STILL_INVALID"));

        // Only the domain's owners and admins replay.
        for (String caller : List.of(issueKey("DOMAIN_MEMBER", domain), issueKey("CONSUMER", domain),
                issueKey("DOMAIN_OWNER", createDomain("elsewhere")))) {
            Api.Response refused = api.post(replay, caller, Map.of("major", 1, "all", true));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.code()).isEqualTo("forbidden");
        }

        ObjectNode next = peopleDescriptor(2);
        ((ArrayNode) next.path("schema")).addObject().put("name", "email").put("type", "string");
        DescriptorJson.governed(next);
        assertThat(api.put(versionPath(domain, "replayed", "1.1.0"), owner, next).status()).isEqualTo(201);
        assertThat(api.post(versionPath(domain, "replayed", "1.1.0") + "/transitions", owner,
                Map.of("to", "PUBLISHED")).status()).isEqualTo(200);

        // Two replays at once, all and a range of the letters' partition: between them, each event is produced once.
        int partition = api.get(path, owner).json().path("items").get(0).path("partition").asInt();
        ExecutorService callers = Executors.newFixedThreadPool(2);
        List<tools.jackson.databind.JsonNode> answers = new ArrayList<>();
        try {
            for (Future<Api.Response> answer : callers.invokeAll(List.<java.util.concurrent.Callable<Api.Response>>of(
                    () -> api.post(replay, owner, Map.of("major", 1, "all", true)),
                    () -> api.post(replay, ADMIN_KEY, Map.of("major", 1, "range",
                            Map.of("partition", partition, "fromOffset", 0, "toOffset", 999)))))) {
                assertThat(answer.get().status()).as(answer.get().body()).isEqualTo(200);
                answers.add(answer.get().json());
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(answers.get(0).path("version").asString()).isEqualTo("1.1.0");
        Map<String, Integer> outcomes = new TreeMap<>();
        answers.forEach(a -> a.path("letters").forEach(l -> outcomes.merge(l.path("outcome").asString(), 1,
                Integer::sum)));
        assertThat(answers.get(0).path("replayed").asInt() + answers.get(1).path("replayed").asInt())
                .as("events produced by both replays: %s", outcomes).isEqualTo(5);
        assertThat(outcomes).doesNotContainKeys("FAILED", "NOT_FOUND");
        for (tools.jackson.databind.JsonNode letter : answers.get(0).path("letters")) {
            if (letter.path("outcome").asString().equals("STILL_INVALID")) {
                assertThat(letter.path("reason").asString()).isIn(stillInvalid.values());
            }
        }
        assertThat(answers.get(0).path("letters")).filteredOn(l -> l.path("outcome").asString()
                .equals("STILL_INVALID")).hasSize(2);

        await().atMost(Duration.ofSeconds(60)).until(() -> lake.rows(domain, "replayed", 1).size() >= 6);
        assertThat(replayedRows()).as("each event exactly once").containsOnlyKeys(1L, 2L, 3L, 4L, 5L, 100L)
                .containsEntry(3L, "p3@example.com").containsEntry(100L, "-");

        // Again, three ways: nothing more is produced; the still invalid letters stay and say why.
        String ownerName = api.get("/api/v1/me", owner).json().path("name").asString();
        String adminName = api.get("/api/v1/me", ADMIN_KEY).json().path("name").asString();
        tools.jackson.databind.JsonNode all = api.get(path, owner).json().path("items");
        List<Map<String, Object>> positions = new ArrayList<>();
        all.forEach(l -> positions.add(Map.of("partition", l.path("partition").asInt(), "offset",
                l.path("offset").asLong())));
        positions.add(Map.of("partition", 1, "offset", 5_000));
        for (Map<String, Object> selection : List.of(Map.<String, Object>of("major", 1, "all", true),
                Map.of("major", 1, "letters", positions),
                Map.of("major", 1, "range", Map.of("partition", partition, "fromOffset", 0, "toOffset", 999)))) {
            Api.Response again = api.post(replay, owner, selection);
            assertThat(again.status()).as(again.body()).isEqualTo(200);
            assertThat(again.json().path("replayed").asInt()).isZero();
            again.json().path("letters").forEach(l -> assertThat(l.path("outcome").asString())
                    .isIn("ALREADY_REPLAYED", "STILL_INVALID", "NOT_FOUND"));
        }
        Api.Response named = api.post(replay, owner, Map.of("major", 1, "letters", positions));
        assertThat(named.json().path("letters")).filteredOn(l -> l.path("outcome").asString().equals("NOT_FOUND"))
                .singleElement().satisfies(l -> assertThat(l.path("reason").asString())
                        .isEqualTo("the dead-letter topic holds no letter at partition 1, offset 5000"));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> lake.rows(domain, "replayed", 1).size() == 6);
        assertThat(lake.readAll(topic).stream().filter(r -> r.headers().lastHeader("mesh.replay.source.offset")
                != null)).as("replayed events in the topic").hasSize(5);

        // The list says which letters were replayed, when and by whom; the others are still there.
        tools.jackson.databind.JsonNode listed = api.get(path, owner).json();
        assertThat(listed.path("total").asInt()).isEqualTo(7);
        for (tools.jackson.databind.JsonNode letter : listed.path("items")) {
            if (letter.path("payload").asString().contains("\"name\":\"person ")) {
                assertThat(letter.path("replayState").asString()).isEqualTo("REPLAYED");
                assertThat(letter.path("replayedBy").asString()).isIn(ownerName, adminName);
                assertThat(letter.path("replayedAt").asString()).isNotBlank();
            } else {
                assertThat(letter.path("replayState").isNull()).as(letter.toString()).isTrue();
            }
        }

        // A selection must say what it selects, within bounds.
        for (Object bad : List.of(Map.of("major", 1), Map.of("major", 1, "all", true, "letters", positions),
                Map.of("major", 1, "range", Map.of("partition", 0, "fromOffset", 5, "toOffset", 4)),
                Map.of("major", 1, "range", Map.of("partition", 0, "fromOffset", 0, "toOffset", 1_000)))) {
            Api.Response refused = api.post(replay, owner, bad);
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.code()).isEqualTo("invalid-selection");
        }
        assertThat(api.post(replay, owner, Map.of("major", 1, "letters", List.of(Map.of("partition", 0,
                "offset", -1)))).code()).isEqualTo("validation-failed");
        assertThat(api.post(replay, owner, Map.of("major", 7, "all", true)).code()).isEqualTo("major-not-found");
    }

    /** The replayed product's rows: id → email ("-" when none), failing on an id that landed twice. */
    private Map<Long, String> replayedRows() {
        Map<Long, String> rows = new TreeMap<>();
        for (Record row : lake.rows(domain, "replayed", 1)) {
            Object email = row.getField("email");
            assertThat(rows.put((Long) row.getField("id"), email == null ? "-" : email.toString()))
                    .as("id %s landed once", row.getField("id")).isNull();
        }
        return rows;
    }

    @Test
    void batchesOverTheLimitGet413() {
        publish("big", peopleDescriptor(1));
        StringBuilder huge = new StringBuilder("[");
        for (int id = 1; id <= 6000; id++) {
            huge.append(id == 1 ? "" : ",").append(event(id));
        }
        Api.Response tooLarge = api.post("/api/v1/domains/" + domain + "/products/big/events", owner,
                huge.append(']').toString());
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.code()).isEqualTo("payload-too-large");
    }

    @Test
    void eventsForProductsWithoutKafkaOrUnpublishedAreRefused() {
        api.put(versionPath(domain, "draft-only", "1.0.0"), owner, peopleDescriptor(1));
        Api.Response unpublished = api.post("/api/v1/domains/" + domain + "/products/draft-only/events", owner,
                "[" + event(1) + "]");
        assertThat(unpublished.status()).isEqualTo(409);
        assertThat(unpublished.code()).isEqualTo("not-published");
        Api.Response notArray = api.request("POST", "/api/v1/domains/" + domain + "/products/draft-only/events")
                .token(owner).json("{\"id\": 1}").send();
        assertThat(notArray.status()).isIn(400, 409);
        assertThat(api.post("/api/v1/domains/" + domain + "/products/draft-only/events",
                issueKey("CONSUMER", domain), "[]").status()).isEqualTo(403);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
