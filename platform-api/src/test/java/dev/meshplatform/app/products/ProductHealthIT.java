package dev.meshplatform.app.products;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.Lake;
import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.app.testsupport.WebhookReceiver;
import dev.meshplatform.ingestion.api.KafkaConnection;
import dev.meshplatform.ingestion.api.RawTables;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SLOs evaluated continuously against the real landing path: a source-aligned product that stops receiving events
 * goes MET → AT_RISK → BREACHED and back when events resume; dead letters count against completeness; the states
 * show in the product's health, the catalog and the metrics. The test platform evaluates every second.
 */
class ProductHealthIT extends PlatformIT {

    @Autowired
    Catalog catalog;
    @Autowired
    KafkaConnection kafka;

    private String domain;
    private String owner;

    @BeforeEach
    void domain() {
        domain = createDomain("health");
        owner = issueKey("DOMAIN_OWNER", domain);
    }

    private static ObjectNode clicks(String freshness, double completeness) {
        ObjectNode d = Api.JSON.createObjectNode();
        d.put("title", "Clicks");
        d.putArray("inputPorts").addObject().put("name", "events").put("type", "kafka").put("partitions", 1);
        ArrayNode schema = d.putArray("schema");
        schema.addObject().put("name", "id").put("type", "long").put("required", true);
        schema.addObject().put("name", "page").put("type", "string");
        d.putObject("slos").put("freshness", freshness).put("completeness", completeness);
        return DescriptorJson.governed(d);
    }

    private static String events(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(id -> "{\"id\":" + id + ",\"page\":\"/p/" + id + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private String publish(String product, ObjectNode descriptor) {
        Api.Response applied = api.put(versionPath(domain, product, "1.0.0"), owner, descriptor);
        assertThat(applied.status()).as(applied.body()).isEqualTo(201);
        Api.Response published = api.post(versionPath(domain, product, "1.0.0") + "/transitions", owner,
                Map.of("to", "PUBLISHED"));
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        return "/api/v1/domains/" + domain + "/products/" + product;
    }

    private void post(String path, String batch) {
        Api.Response sent = api.post(path + "/events", owner, batch);
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(sent.json().path("rejected").isEmpty()).as(sent.body()).isTrue();
    }

    private JsonNode slo(String path, String slo) {
        JsonNode health = api.get(path + "/health", owner).json();
        for (JsonNode s : health.path("majors").path(0).path("slos")) {
            if (s.path("slo").asString().equals(slo)) {
                return s;
            }
        }
        return Api.JSON.createObjectNode();
    }

    /** The newest-data time an SLO status stands for: its evaluation less the age it observed. */
    private static java.time.Instant dataTime(JsonNode freshness) {
        return java.time.Instant.parse(freshness.path("evaluatedAt").asString())
                .minusNanos((long) (freshness.path("observed").asDouble() * 1e9));
    }

    private String state(String path, String slo) {
        return slo(path, slo).path("state").asString("");
    }

    private String metric(String name, String product, String slo) {
        String wanted = "product=\"" + product + "\"";
        return api.get("/actuator/prometheus", ADMIN_KEY).body().lines()
                .filter(l -> l.startsWith(name + "{") && l.contains("domain=\"" + domain + "\"")
                        && l.contains(wanted) && l.contains("slo=\"" + slo + "\""))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).findFirst().orElse("");
    }

    /** Sends an event a second until the product's freshness is MET. */
    private void untilMetWhileSending(String path, AtomicLong sent) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (state(path, "freshness").equals("MET") && slo(path, "freshness").path("reason").asString()
                    .startsWith("newest data")) {
                return true;
            }
            long id = sent.incrementAndGet();
            post(path, events(id, id));
            return false;
        });
    }

    @Test
    void aProductThatStopsReceivingEventsGoesAtRiskThenBreachedAndBackWhenEventsResume() {
        // The domain's owners hear of every state change at their webhook, signed with the secret they chose.
        WebhookReceiver receiver = WebhookReceiver.start();
        String secret = "health-webhook-secret-" + UUID.randomUUID();
        Api.Response subscribed = api.post("/api/v1/domains/" + domain + "/webhooks", owner, Map.of("url",
                receiver.url("/ok"), "secret", secret, "events", List.of("dev.meshplatform.slo.state-changed")));
        assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(201);
        try (receiver) {
            aProductThatStopsReceivingEventsGoesAtRiskThenBreachedAndBackWhenEventsResume(receiver, secret);
        }
    }

    private void aProductThatStopsReceivingEventsGoesAtRiskThenBreachedAndBackWhenEventsResume(
            WebhookReceiver receiver, String secret) {
        // At risk from 8 s without a newer event, breached past 10 s.
        String path = publish("clicks", clicks("PT10S", 99));
        AtomicLong sent = new AtomicLong();
        // Events keep coming until the product is met: a landing job's first commit may take seconds on a busy
        // machine, and the events' age counts from when they were sent.
        untilMetWhileSending(path, sent);
        assertThat(slo(path, "freshness").path("reason").asString()).startsWith("newest data");
        assertThat(state(path, "completeness")).isEqualTo("MET");

        // Silence: nothing newer arrives.
        JsonNode atRisk = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> slo(path, "freshness"), s -> s.path("state").asString("").equals("AT_RISK"));
        assertThat(atRisk.path("observed").asDouble()).isBetween(8.0, 10.0);
        assertThat(atRisk.path("target").asString()).isEqualTo("PT10S");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> state(path, "freshness").equals("BREACHED"));
        assertThat(slo(path, "freshness").path("observed").asDouble()).isGreaterThan(10.0);
        assertThat(slo(path, "freshness").path("reason").asString()).contains("target PT10S, at risk from 8.0 s");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> metric("mesh_slo_state", "clicks", "freshness").equals("2.0"));
        assertThat(api.get("/api/v1/products?domain=" + domain + "&health=BREACHED", owner).json().path("items"))
                .extracting(p -> p.path("name").asString()).containsExactly("clicks");

        // Events again.
        untilMetWhileSending(path, sent);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> metric("mesh_slo_state", "clicks", "freshness").equals("0.0"));
        assertThat(Double.parseDouble(metric("mesh_slo_observed", "clicks", "freshness"))).isLessThan(8.0);

        JsonNode health = api.get(path + "/health", owner).json();
        assertThat(health.path("state").asString()).isEqualTo("MET");
        JsonNode major = health.path("majors").path(0);
        assertThat(major.path("major").asInt()).isEqualTo(1);
        assertThat(major.path("version").asString()).isEqualTo("1.0.0");
        List<String> freshness = new ArrayList<>();
        for (JsonNode t : major.path("transitions")) {
            if (t.path("slo").asString().equals("freshness")) {
                freshness.add(t.path("from").asString("none") + "->" + t.path("to").asString());
            }
        }
        // Newest first. How it started and how it came back depend on how fast landing went.
        assertThat(freshness.get(0)).endsWith("->MET");
        int breached = freshness.indexOf("AT_RISK->BREACHED");
        assertThat(breached).as(freshness.toString()).isPositive();
        assertThat(freshness.get(breached + 1)).as(freshness.toString()).isEqualTo("MET->AT_RISK");
        assertThat(freshness.get(freshness.size() - 1)).startsWith("none->");
        assertThat(major.path("transitions").path(0).path("reason").asString()).startsWith("newest data");
        assertThat(api.get(path + "/health?limit=1", owner).json().path("majors").path(0).path("transitions"))
                .hasSize(1);
        assertThat(api.get(path + "/health?since=2999-01-01T00:00:00Z", owner).json().path("majors").path(0)
                .path("transitions")).isEmpty();
        // A consumer of another domain sees a published product's health.
        assertThat(api.get(path + "/health", issueKey("CONSUMER", createDomain("reader"))).status()).isEqualTo(200);

        // Each freshness transition reached the webhook once, signed, in the order it happened (silence since may
        // have added one more).
        List<String> oldestFirst = new ArrayList<>(freshness);
        java.util.Collections.reverse(oldestFirst);
        List<WebhookReceiver.Received> notified = await().atMost(Duration.ofSeconds(30))
                .until(() -> freshnessChanges(receiver), changes -> changes.size() >= oldestFirst.size())
                .subList(0, oldestFirst.size());
        assertThat(notified).extracting(r -> r.json().path("data").path("from").asString("none") + "->"
                + r.json().path("data").path("to").asString()).containsExactlyElementsOf(oldestFirst);
        for (WebhookReceiver.Received change : notified) {
            WebhookReceiver.assertSigned(change, secret);
            assertThat(change.json().path("subject").asString()).isEqualTo(domain + "/clicks/v1");
            assertThat(change.json().path("data").path("reason").asString()).isNotBlank();
        }
    }

    private static List<WebhookReceiver.Received> freshnessChanges(WebhookReceiver receiver) {
        return receiver.received("/ok", "dev.meshplatform.slo.state-changed").stream()
                .filter(r -> r.json().path("data").path("slo").asString().equals("freshness")).toList();
    }

    @Test
    void deadLettersCountAgainstCompleteness() throws Exception {
        String path = publish("orders", clicks("PT1H", 95));
        post(path, events(1, 18));
        // Two events no HTTP check stopped: they are refused at landing and dead-lettered.
        try (KafkaProducer<byte[], byte[]> producer = new Lake(catalog, kafka).producer()) {
            String topic = RawTables.topic(domain, "orders", 1);
            producer.send(new ProducerRecord<>(topic, "{\"id\": \"x\"}".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(topic, "{not json".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
        // 18 of 20 is 90 %: below the 95 % target.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> state(path, "completeness").equals("BREACHED"));
        JsonNode completeness = slo(path, "completeness");
        assertThat(completeness.path("observed").asDouble()).isEqualTo(90.0);
        assertThat(completeness.path("unit").asString()).isEqualTo("percent");
        assertThat(completeness.path("reason").asString())
                .isEqualTo("90.00 % (18 of 20 events) over 24 h; target 95 %, at risk at or below 96 %");
        assertThat(state(path, "freshness")).isEqualTo("MET");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> metric("mesh_slo_observed", "orders", "completeness").equals("90.0"));

        // 98 of 100 is 98 %: 40 % of the 5 % error budget used, under 80 %: met.
        post(path, events(19, 98));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> state(path, "completeness").equals("MET"));
        assertThat(slo(path, "completeness").path("observed").asDouble()).isEqualTo(98.0);

        JsonNode catalog = api.get("/api/v1/products?domain=" + domain + "&sort=HEALTH", owner).json();
        assertThat(catalog.path("items").path(0).path("health").asString()).isEqualTo("MET");
    }

    @Test
    void aDerivedProductIsAsFreshAsTheInputsItsLastPublishedRunReadAndCountsItsBlockingRules() {
        ObjectNode source = clicks("PT1H", 99);
        source.putObject("transformation").put("sql", "SELECT id, page FROM raw");
        String sourcePath = publish("visits", source);
        post(sourcePath, events(1, 4));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> slo(sourcePath, "freshness").path("reason").asString().startsWith("newest data"));
        runToSuccess(sourcePath);

        ObjectNode derived = Api.JSON.createObjectNode().put("title", "Views per page");
        derived.putArray("inputPorts").addObject().put("name", "visits").put("type", "product")
                .put("domain", domain).put("product", "visits").put("majorVersion", 1);
        ArrayNode schema = derived.putArray("schema");
        schema.addObject().put("name", "page").put("type", "string");
        schema.addObject().put("name", "views").put("type", "long");
        derived.putObject("transformation").put("sql", "SELECT page, count(*) AS views FROM "
                + new dev.meshplatform.registry.api.ProductMajor(domain, "visits", 1).inputView() + " GROUP BY page");
        ArrayNode quality = derived.putArray("quality");
        quality.addObject().put("name", "some-pages").put("type", "row_count").put("min", 1).put("severity", "error");
        quality.addObject().put("name", "pages-named").put("type", "not_null").put("column", "page")
                .put("severity", "error");
        derived.putObject("slos").put("freshness", "PT1H").put("completeness", 99);
        String derivedPath = publish("page-views", DescriptorJson.governed(derived));
        // Before any published run: no data yet.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> slo(derivedPath, "freshness").path("reason").asString().startsWith("no data yet"));
        runToSuccess(derivedPath);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> slo(derivedPath, "freshness").path("reason").asString().startsWith("newest data"));
        JsonNode freshness = slo(derivedPath, "freshness");
        assertThat(freshness.path("state").asString()).isEqualTo("MET");
        // The derived product's data is as new as the newest event the source's run read: the last one posted.
        assertThat(Duration.between(dataTime(slo(sourcePath, "freshness")), dataTime(freshness)).abs())
                .isLessThan(Duration.ofMillis(50));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> slo(derivedPath, "completeness").path("reason").asString().contains("2 of 2"));
        JsonNode completeness = slo(derivedPath, "completeness");
        assertThat(completeness.path("state").asString()).isEqualTo("MET");
        assertThat(completeness.path("reason").asString())
                .startsWith("100.00 % (2 of 2 blocking quality rule checks) over 24 h");
    }

    @Test
    void aProductWithoutAServedVersionHasNoHealthYet() {
        Api.Response applied = api.put(versionPath(domain, "drafty", "0.1.0"), owner, clicks("PT1H", 99));
        assertThat(applied.status()).as(applied.body()).isEqualTo(201);
        String path = "/api/v1/domains/" + domain + "/products/drafty";
        JsonNode health = api.get(path + "/health", owner).json();
        assertThat(health.path("majors")).isEmpty();
        assertThat(health.path("note").asString()).isEqualTo("no served version of the product declares slos");
        // Like the product itself, a drafts-only product does not exist for consumers.
        assertThat(api.get(path + "/health", issueKey("CONSUMER", domain)).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/domains/" + domain + "/products/nobody/health", owner).status()).isEqualTo(404);
    }
}
