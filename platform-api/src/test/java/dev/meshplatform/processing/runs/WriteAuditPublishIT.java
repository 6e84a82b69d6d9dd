package dev.meshplatform.processing.runs;

import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.Lake;
import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.ingestion.api.KafkaConnection;
import dev.meshplatform.processing.api.OutputPorts;
import dev.meshplatform.processing.api.ProcessingException;
import dev.meshplatform.processing.api.RuleResult;
import dev.meshplatform.processing.api.SqlRefusedException;
import dev.meshplatform.processing.api.TransformationOutcome;
import dev.meshplatform.processing.api.Transformations;
import dev.meshplatform.registry.api.ProductCatalog;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The example end to end on real Spark, Iceberg and S3: raw events with name, age and country land, and
 * {@code SELECT country, count(*) AS people FROM raw WHERE age > 30 GROUP BY country} is published through a staging
 * branch only when its quality rules pass.
 */
class WriteAuditPublishIT extends PlatformIT {

    @Autowired
    Transformations transformations;
    @Autowired
    ProductCatalog products;
    @Autowired
    Catalog catalog;
    @Autowired
    KafkaConnection kafka;
    @Autowired
    SparkSession spark;
    @Autowired
    OutputPorts outputPorts;

    private String domain;
    private Lake lake;

    @BeforeEach
    void domain() {
        domain = createDomain("wap");
        lake = new Lake(catalog, kafka);
    }

    private ObjectNode product(String sql, ArrayNode quality) {
        ObjectNode d = Api.JSON.createObjectNode();
        d.put("title", "People over 30 by country");
        ArrayNode ports = d.putArray("inputPorts");
        ArrayNode events = ports.addObject().put("name", "events").put("type", "kafka").put("partitions", 1)
                .putArray("schema");
        events.addObject().put("name", "name").put("type", "string").put("required", true);
        events.addObject().put("name", "age").put("type", "int");
        events.addObject().put("name", "country").put("type", "string");
        ArrayNode schema = d.putArray("schema");
        schema.addObject().put("name", "country").put("type", "string").put("required", true);
        schema.addObject().put("name", "people").put("type", "long").put("required", true);
        d.putObject("transformation").put("sql", sql);
        d.set("quality", quality);
        return DescriptorJson.governed(d);
    }

    private void publishWithEvents(String product, ObjectNode descriptor) {
        assertThat(api.put(versionPath(domain, product, "1.0.0"), ADMIN_KEY, descriptor).status()).isEqualTo(201);
        assertThat(api.post(versionPath(domain, product, "1.0.0") + "/transitions", ADMIN_KEY,
                Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
        String events = "[{\"name\":\"a\",\"age\":31,\"country\":\"NL\"},{\"name\":\"b\",\"age\":45,\"country\":\"NL\"},"
                + "{\"name\":\"c\",\"age\":29,\"country\":\"DE\"},{\"name\":\"d\",\"age\":60,\"country\":\"DE\"},"
                + "{\"name\":\"e\",\"age\":20,\"country\":\"FR\"}]";
        assertThat(api.post("/api/v1/domains/" + domain + "/products/" + product + "/events", ADMIN_KEY, events)
                .json().path("accepted").asInt()).isEqualTo(5);
        await().atMost(Duration.ofSeconds(60)).until(() -> lake.rows(domain, product, 1).size() == 5);
    }

    private static ArrayNode rules(String... json) {
        ArrayNode rules = Api.JSON.createArrayNode();
        for (String rule : json) {
            rules.add(Api.JSON.readTree(rule));
        }
        return rules;
    }

    @Test
    void theExampleIsPublishedThroughAStagingBranch() {
        publishWithEvents("people", product(
                "SELECT country, count(*) AS people FROM raw WHERE age > 30 GROUP BY country",
                rules("{\"name\":\"country-present\",\"type\":\"not_null\",\"column\":\"country\"}",
                        "{\"name\":\"one-row-per-country\",\"type\":\"unique\",\"column\":\"country\"}",
                        "{\"name\":\"some-rows\",\"type\":\"row_count\",\"min\":1}")));
        TransformationOutcome outcome = transformations.run(products.getVersion(domain, "people", "1.0.0"), "r1");
        assertThat(outcome.published()).isTrue();
        assertThat(outcome.rules()).allSatisfy(r -> assertThat(r.passed()).isTrue());
        assertThat(outcome.rowsRead()).isEqualTo(5);
        assertThat(outcome.rowsWritten()).isEqualTo(2);

        List<Row> rows = spark.sql("SELECT country, people FROM mesh." + domain.replace('-', '_')
                + ".people_v1 ORDER BY country").collectAsList();
        assertThat(rows).extracting(r -> r.getString(0) + "=" + r.getLong(1)).containsExactly("DE=1", "NL=2");
        Table table = catalog.loadTable(TableIdentifier.of(domain.replace('-', '_'), "people_v1"));
        assertThat(table.refs()).containsKey("v1.0.0").doesNotContainKey("run_r1");
        assertThat(table.refs().get("v1.0.0").snapshotId()).isEqualTo(table.currentSnapshot().snapshotId());

        // The output port reader: projection, filter, limit, a tag, a snapshot.
        OutputPorts.ReadResult nl = outputPorts.read(domain, "people", 1, new OutputPorts.ReadRequest(
                List.of("people"), List.of(new OutputPorts.Condition("country", OutputPorts.Operator.EQ, "NL")),
                10, "v1.0.0", null));
        assertThat(nl.columns()).containsExactly("people");
        assertThat(nl.rows()).containsExactly(Map.of("people", 2L));
        assertThat(outputPorts.read(domain, "people", 1, new OutputPorts.ReadRequest(List.of(),
                List.of(new OutputPorts.Condition("people", OutputPorts.Operator.GE, 1)), 1, null,
                outcome.snapshotId())).rows()).hasSize(1);
        // A value Iceberg cannot compare with the column is the caller's mistake, not a conflict.
        assertThatThrownBy(() -> outputPorts.read(domain, "people", 1, new OutputPorts.ReadRequest(List.of(),
                List.of(new OutputPorts.Condition("people", OutputPorts.Operator.GE, "many")), 1, null, null)))
                .isInstanceOfSatisfying(ProcessingException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ProcessingException.Reason.INVALID);
                    assertThat(e.code()).isEqualTo("invalid-filter");
                });
        JsonNode snapshots = api.get("/api/v1/domains/" + domain + "/products/people/snapshots", ADMIN_KEY).json()
                .path("items");
        assertThat(snapshots.get(0).path("snapshotId").isString()).as("64-bit ids are strings").isTrue();
        assertThat(snapshots.get(0).path("snapshotId").asString()).isEqualTo(String.valueOf(outcome.snapshotId()));
        assertThat(snapshots.get(0).path("refs").toString()).contains("main", "v1.0.0");
        assertThat(snapshots.get(0).path("totalRecords").asLong()).isEqualTo(2);
    }

    @Test
    void theAnalyzedPlanMayReadOnlyTheRunsViews() {
        publishWithEvents("checked", product("SELECT country, count(*) AS people FROM raw GROUP BY country", rules()));
        String namespace = domain.replace('-', '_');
        var direct = spark.sql("SELECT * FROM mesh." + namespace + ".checked_v1__raw").queryExecution().analyzed();
        assertThatThrownBy(() -> AnalyzedPlanCheck.check(direct,
                java.util.Set.of("raw"))).isInstanceOf(SqlRefusedException.class)
                .hasMessageContaining("the resolved plan node");
        SparkSession session = spark.newSession();
        try {
            session.sql("SELECT * FROM mesh." + namespace + ".checked_v1__raw").createOrReplaceTempView("raw");
            var throughView = session.sql("SELECT country FROM raw").queryExecution().analyzed();
            AnalyzedPlanCheck.check(throughView, java.util.Set.of("raw"));
            assertThatThrownBy(() -> AnalyzedPlanCheck.check(throughView,
                    java.util.Set.of("other"))).isInstanceOf(SqlRefusedException.class)
                    .hasMessageContaining("the view 'raw'");
        } finally {
            // The new session loaded a catalog of its own (JDBC connections, an S3FileIO).
            SessionCatalogs.close(session);
        }
    }

    @Test
    void appendAddsAndMergeUpdatesOnTheKey() {
        ObjectNode appending = product("SELECT country, count(*) AS people FROM raw GROUP BY country", rules());
        ((ObjectNode) appending.path("transformation")).put("mode", "append");
        publishWithEvents("appended", appending);
        transformations.run(products.getVersion(domain, "appended", "1.0.0"), "a1");
        transformations.run(products.getVersion(domain, "appended", "1.0.0"), "a2");
        assertThat(spark.sql("SELECT count(*) FROM mesh." + domain.replace('-', '_') + ".appended_v1").first()
                .getLong(0)).isEqualTo(6);

        ObjectNode merging = product("SELECT country, count(*) AS people FROM raw GROUP BY country", rules());
        ((ObjectNode) merging.path("transformation")).put("mode", "merge").putArray("mergeKeys").add("country");
        publishWithEvents("merged", merging);
        transformations.run(products.getVersion(domain, "merged", "1.0.0"), "m1");
        api.post("/api/v1/domains/" + domain + "/products/merged/events", ADMIN_KEY,
                "[{\"name\":\"f\",\"age\":50,\"country\":\"NL\"}]");
        await().atMost(Duration.ofSeconds(60)).until(() -> lake.rows(domain, "merged", 1).size() == 6);
        TransformationOutcome second = transformations.run(products.getVersion(domain, "merged", "1.0.0"), "m2");
        assertThat(second.published()).isTrue();
        List<Row> rows = spark.sql("SELECT country, people FROM mesh." + domain.replace('-', '_')
                + ".merged_v1 ORDER BY country").collectAsList();
        assertThat(rows).extracting(r -> r.getString(0) + "=" + r.getLong(1)).containsExactly("DE=2", "FR=1", "NL=3");
    }

    @Test
    void aFailingRuleLeavesMainUnchangedAndSaysWhichRule() {
        publishWithEvents("strict", product(
                "SELECT country, count(*) AS people FROM raw GROUP BY country",
                rules("{\"name\":\"only-nl\",\"type\":\"accepted_values\",\"column\":\"country\",\"values\":[\"NL\"]}",
                        "{\"name\":\"few-rows\",\"type\":\"row_count\",\"max\":100,\"severity\":\"warn\"}")));
        TransformationOutcome outcome = transformations.run(products.getVersion(domain, "strict", "1.0.0"), "r1");
        assertThat(outcome.published()).isFalse();
        assertThat(outcome.rules()).filteredOn(r -> !r.passed()).extracting(RuleResult::rule)
                .containsExactly("only-nl");
        assertThat(outcome.rules().get(0).observed()).isEqualTo(2.0);
        Table table = catalog.loadTable(TableIdentifier.of(domain.replace('-', '_'), "strict_v1"));
        assertThat(spark.sql("SELECT count(*) FROM mesh." + domain.replace('-', '_') + ".strict_v1")
                .first().getLong(0)).isZero();
        assertThat(table.refs()).doesNotContainKey("v1.0.0").doesNotContainKey("run_r1");
    }

    @Test
    void refusedSqlAndAResultThatBreaksTheContractFailClearly() {
        Api.Response sneaky = api.put(versionPath(domain, "sneaky", "1.0.0"), ADMIN_KEY,
                product("SELECT * FROM parquet.`s3://mesh/`", rules()));
        assertThat(sneaky.status()).isEqualTo(400);
        assertThat(sneaky.json().path("errors").toString()).contains("transformation.sql", "reading by path",
                "at line 1, column 15");

        publishWithEvents("wrong", product("SELECT country, avg(age) AS people, 1 AS extra FROM raw GROUP BY country",
                rules()));
        assertThatThrownBy(() -> transformations.run(products.getVersion(domain, "wrong", "1.0.0"), "r1"))
                .isInstanceOf(SqlRefusedException.class)
                .hasMessageContaining("column 'people' is double, the contract says bigint")
                .hasMessageContaining("column 'extra' is not in the contract");

        publishWithEvents("typo", product("SELECT countri, count(*) AS people FROM raw GROUP BY countri", rules()));
        assertThatThrownBy(() -> transformations.run(products.getVersion(domain, "typo", "1.0.0"), "r1"))
                .isInstanceOf(SqlRefusedException.class).hasMessageContaining("the query cannot run")
                .hasMessageContaining("countri");
    }
}
