package dev.meshplatform.app.processing;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.Lake;
import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.ingestion.api.KafkaConnection;
import dev.meshplatform.ingestion.api.RawTables;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.catalog.RetiredDataPurges;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A product's life through the API only, as a domain team lives it: 1.0.0 lands and runs; 1.1.0 adds an optional
 * input field and an optional output column; every read keeps working before 1.1.0's first run, its run succeeds on
 * the evolved output table, and each version reads its own snapshot with its own columns. Then the major is
 * deprecated (readers are told, with the announced sunset) and retired (landing stops, reads answer 410, grants
 * end), and the domain, all retired, is deleted with its name reserved.
 */
class ProductLifeIT extends PlatformIT {

    @Autowired
    org.springframework.context.ApplicationContext context;
    @Autowired
    org.apache.kafka.clients.admin.Admin admin;
    @Autowired
    Catalog catalog;
    @Autowired
    KafkaConnection kafka;

    private static ObjectNode descriptor(boolean withCity) {
        ObjectNode d = Api.JSON.createObjectNode();
        d.put("title", "People");
        ArrayNode events = d.putArray("inputPorts").addObject().put("name", "events").put("type", "kafka")
                .put("partitions", 1).putArray("schema");
        events.addObject().put("name", "name").put("type", "string").put("required", true);
        events.addObject().put("name", "age").put("type", "int");
        ArrayNode schema = d.putArray("schema");
        schema.addObject().put("name", "name").put("type", "string").put("required", true);
        schema.addObject().put("name", "age").put("type", "int");
        if (withCity) {
            events.addObject().put("name", "city").put("type", "string");
            schema.addObject().put("name", "city").put("type", "string");
        }
        d.putObject("transformation").put("sql", withCity ? "SELECT name, age, city FROM raw"
                : "SELECT name, age FROM raw");
        return DescriptorJson.governed(d);
    }

    @Test
    void aMinorKeepsEveryReadAndRunWorkingThenTheMajorIsDeprecatedAndRetired() {
        String domain = createDomain("minor");
        String product = "/api/v1/domains/" + domain + "/products/people";
        Lake lake = new Lake(catalog, kafka);

        publish(versionPath(domain, "people", "1.0.0"), descriptor(false));
        api.post(product + "/events", ADMIN_KEY, "[{\"name\":\"a\",\"age\":31},{\"name\":\"b\",\"age\":45}]");
        await().atMost(Duration.ofSeconds(60)).until(() -> lake.rows(domain, "people", 1).size() == 2);
        JsonNode first = runToSuccess(product);
        assertThat(names(api.get(product + "/data", ADMIN_KEY))).containsExactlyInAnyOrder("a", "b");

        // The contract carries the last run's results on request: its quality rules and the freshness SLO, met.
        Api.Response plain = api.request("GET", versionPath(domain, "people", "1.0.0") + "/contract")
                .token(ADMIN_KEY).header("Accept", "application/json").send();
        assertThat(plain.header("ETag")).isNotBlank();
        assertThat(plain.body()).doesNotContain("mesh.lastRun");
        Api.Response withResults = api.request("GET", versionPath(domain, "people", "1.0.0")
                + "/contract?results=true").token(ADMIN_KEY).header("Accept", "application/json").send();
        assertThat(withResults.status()).as(withResults.body()).isEqualTo(200);
        assertThat(withResults.header("ETag")).isNull();
        JsonNode lastRun = null;
        for (JsonNode property : withResults.json().path("customProperties")) {
            if (property.path("property").asString().equals("mesh.lastRun")) {
                lastRun = property.path("value");
            }
        }
        assertThat(lastRun).as(withResults.body()).isNotNull();
        assertThat(lastRun.path("runId").asString()).isEqualTo(first.path("id").asString());
        assertThat(lastRun.path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(lastRun.path("rowsWritten").asLong()).isEqualTo(2);
        assertThat(lastRun.at("/quality/0/rule").asString()).isEqualTo("any-rows");
        assertThat(lastRun.at("/quality/0/passed").asBoolean()).isTrue();
        assertThat(lastRun.at("/sla/0/property").asString()).isEqualTo("latency");
        assertThat(lastRun.at("/sla/0/met").asBoolean()).isTrue();

        // 1.1.0 declares a short retention: once retired, its data is purged at the next pass after a second.
        ObjectNode minor = descriptor(true);
        minor.putObject("retention").put("period", "PT1S");
        publish(versionPath(domain, "people", "1.1.0"), minor);
        // Before 1.1.0's first run: the plain read serves 1.1.0's columns, city null in 1.0.0's rows.
        Api.Response current = api.get(product + "/data", ADMIN_KEY);
        assertThat(current.status()).as(current.body()).isEqualTo(200);
        assertThat(current.json().path("rows")).hasSize(2)
                .allSatisfy(row -> assertThat(row.has("city") && row.path("city").isNull()).as(row.toString())
                        .isTrue());
        Api.Response early = api.get(product + "/data?version=1.1.0", ADMIN_KEY);
        assertThat(early.status()).as(early.body()).isEqualTo(404);
        assertThat(early.json().path("code").asString()).isEqualTo("not-yet-published");
        Api.Response filtered = api.get(product + "/data?filter=city:is_null", ADMIN_KEY);
        assertThat(filtered.status()).as(filtered.body()).isEqualTo(200);
        assertThat(filtered.json().path("rows")).hasSize(2);

        api.post(product + "/events", ADMIN_KEY, "[{\"name\":\"c\",\"age\":52,\"city\":\"Utrecht\"}]");
        await().atMost(Duration.ofSeconds(60)).until(() -> lake.rows(domain, "people", 1).size() == 3);
        JsonNode run = runToSuccess(product);
        assertThat(run.path("version").asString()).isEqualTo("1.1.0");

        Api.Response latest = api.get(product + "/data?filter=city:eq:Utrecht", ADMIN_KEY);
        assertThat(latest.status()).as(latest.body()).isEqualTo(200);
        assertThat(names(latest)).containsExactly("c");
        Api.Response byNewVersion = api.get(product + "/data?version=1.1.0", ADMIN_KEY);
        assertThat(byNewVersion.status()).as(byNewVersion.body()).isEqualTo(200);
        assertThat(names(byNewVersion)).containsExactlyInAnyOrder("a", "b", "c");
        Api.Response byOldVersion = api.get(product + "/data?version=1.0.0", ADMIN_KEY);
        assertThat(byOldVersion.status()).as(byOldVersion.body()).isEqualTo(200);
        assertThat(names(byOldVersion)).containsExactlyInAnyOrder("a", "b");
        assertThat(byOldVersion.json().path("rows").get(0).has("city")).isFalse();

        // A partner domain reads under a grant, until the product's last version retires.
        String reader = issueKey("CONSUMER", createDomain("partner"));
        Api.Response asked = api.post(product + "/access-requests", reader,
                Map.of("purpose", "analysis", "duration", "P30D"));
        assertThat(asked.status()).as(asked.body()).isEqualTo(201);
        assertThat(api.post(product + "/access-requests/" + asked.json().path("id").asString() + "/approve",
                ADMIN_KEY, Map.of()).status()).isEqualTo(200);
        String activeGrants = "/api/v1/grants?active=true&domain=" + domain + "&product=people";
        assertThat(api.get(activeGrants, ADMIN_KEY).json().path("total").asLong()).isEqualTo(1);

        // Deprecation: a sunset goes with DEPRECATED only, and lies ahead.
        String v11 = versionPath(domain, "people", "1.1.0");
        assertThat(api.post(versionPath(domain, "people", "1.0.0") + "/transitions", ADMIN_KEY,
                Map.of("to", "DEPRECATED")).status()).isEqualTo(200);
        Api.Response past = api.post(v11 + "/transitions", ADMIN_KEY,
                Map.of("to", "DEPRECATED", "sunset", "2020-01-01T00:00:00Z"));
        assertThat(past.status()).as(past.body()).isEqualTo(400);
        Api.Response deprecated = api.post(v11 + "/transitions", ADMIN_KEY,
                Map.of("to", "DEPRECATED", "sunset", "2099-06-30T00:00:00Z"));
        assertThat(deprecated.status()).as(deprecated.body()).isEqualTo(200);
        assertThat(deprecated.json().path("version").path("sunset").asString()).isEqualTo("2099-06-30T00:00:00Z");
        Api.Response told = api.get(product + "/data", ADMIN_KEY);
        assertThat(told.status()).as(told.body()).isEqualTo(200);
        assertThat(told.header("Deprecation")).matches("@\\d+");
        assertThat(told.header("Sunset")).isEqualTo("Tue, 30 Jun 2099 00:00:00 GMT");

        // Retirement of the major's every version: landing stops, reads answer 410, the data stays.
        assertThat(api.post(versionPath(domain, "people", "1.0.0") + "/transitions", ADMIN_KEY,
                Map.of("to", "RETIRED")).status()).isEqualTo(200);
        assertThat(api.get(product + "/data", ADMIN_KEY).status()).as("1.1.0 is still served").isEqualTo(200);
        assertThat(api.post(v11 + "/transitions", ADMIN_KEY, Map.of("to", "RETIRED")).status()).isEqualTo(200);
        Api.Response gone = api.get(product + "/data", ADMIN_KEY);
        assertThat(gone.status()).as(gone.body()).isEqualTo(410);
        assertThat(gone.json().path("code").asString()).isEqualTo("version-retired");
        assertThat(api.get(product + "/data?version=1.0.0", ADMIN_KEY).status()).isEqualTo(410);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode landing = api.get(product + "/landing", ADMIN_KEY).json().path("items").get(0);
            return "STOPPED".equals(landing.path("desiredState").asString())
                    && "STOPPED".equals(landing.path("state").asString());
        });
        assertThat(lake.rows(domain, "people", 1)).hasSize(3);
        assertThat(api.get(activeGrants, ADMIN_KEY).json().path("total").asLong()).as("grants end with the product")
                .isZero();

        // A domain whose products are all retired can be deleted; its name stays reserved while their data is kept.
        Api.Response deleted = api.delete("/api/v1/domains/" + domain, ADMIN_KEY);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        Api.Response again = api.post("/api/v1/domains", ADMIN_KEY,
                Map.of("name", domain, "title", "Again", "ownerTeam", "again-team"));
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.json().path("code").asString()).isEqualTo("domain-name-reserved");

        // Its retention over, the retired major's data is purged (topics, tables, files) and the name is free.
        ProductMajor v1 = new ProductMajor(domain, "people", 1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> RetiredDataPurges.purgeDue(context, java.time.Instant.now()).contains(v1));
        assertThat(catalog.tableExists(RawTables.rawTable(v1))).isFalse();
        assertThat(catalog.tableExists(org.apache.iceberg.catalog.TableIdentifier.of(v1.namespace(),
                v1.outputTable()))).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            java.util.Set<String> topics = admin.listTopics().names().get();
            return !topics.contains(v1.topic()) && !topics.contains(v1.deadLetterTopic());
        });
        Api.Response recreated = api.post("/api/v1/domains", ADMIN_KEY,
                Map.of("name", domain, "title", "Again", "ownerTeam", "again-team"));
        assertThat(recreated.status()).as(recreated.body()).isEqualTo(201);
        assertThat(api.get("/api/v1/domains/" + domain + "/products", ADMIN_KEY).json().path("total").asLong())
                .as("the new domain inherits no product").isZero();
    }

    private void publish(String version, ObjectNode descriptor) {
        Api.Response applied = api.put(version, ADMIN_KEY, descriptor);
        assertThat(applied.status()).as(applied.body()).isIn(200, 201);
        Api.Response published = api.post(version + "/transitions", ADMIN_KEY, Map.of("to", "PUBLISHED"));
        assertThat(published.status()).as(published.body()).isEqualTo(200);
    }

    private static List<String> names(Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        response.json().path("rows").forEach(row -> names.add(row.path("name").asString()));
        return names;
    }
}
