package dev.meshplatform.app.processing;

import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.Lake;
import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.ingestion.api.KafkaConnection;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs through the API: their records, one at a time per product, cancellation, and runs orphaned by a restart. The
 * cron test's product is published when the class starts and checked last, so that its wait for the next minute
 * boundary passes while the other tests run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunsIT extends PlatformIT {

    @Autowired
    Catalog catalog;
    @Autowired
    KafkaConnection kafka;
    @Autowired
    JdbcTemplate jdbc;

    private String domain;
    private String member;
    /** The domain and member of {@link #theCronScheduleStartsRuns}, whose product is published before any test. */
    private String scheduledDomain;
    private String scheduledMember;

    @BeforeAll
    void publishTheScheduledProduct() {
        api = new Api("http://127.0.0.1:" + port);
        domain();
        // Every minute (5-field Unix cron, evaluated in UTC): the first firing comes within a minute.
        publishScheduled("hourly", "SELECT country, count(*) AS people FROM raw GROUP BY country", "* * * * *");
        scheduledDomain = domain;
        scheduledMember = member;
    }

    /**
     * Retires the scheduled product if the cron test did not (it failed, or was not selected): otherwise the shared
     * platform would run it every minute for the rest of the test JVM.
     */
    @AfterAll
    void retireTheScheduledProduct() {
        if (scheduledDomain == null) {
            return;
        }
        String version = versionPath(scheduledDomain, "hourly", "1.0.0");
        for (String status : new String[]{"DEPRECATED", "RETIRED"}) {
            if (!api.get(version, ADMIN_KEY).json().path("status").asString().equals("RETIRED")) {
                api.post(version + "/transitions", ADMIN_KEY, Map.of("to", status));
            }
        }
    }

    @BeforeEach
    void domain() {
        domain = createDomain("runs");
        member = issueKey("DOMAIN_MEMBER", domain);
    }

    private String runs(String product) {
        return "/api/v1/domains/" + domain + "/products/" + product + "/runs";
    }

    private void publish(String product, String sql, String... rules) {
        publishScheduled(product, sql, null, rules);
    }

    private void publishScheduled(String product, String sql, String schedule, String... rules) {
        ObjectNode d = descriptor(sql, schedule, rules);
        assertThat(api.put(versionPath(domain, product, "1.0.0"), ADMIN_KEY, d).status())
                .isEqualTo(201);
        assertThat(api.post(versionPath(domain, product, "1.0.0") + "/transitions", ADMIN_KEY,
                Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
        api.post("/api/v1/domains/" + domain + "/products/" + product + "/events", ADMIN_KEY,
                "[{\"name\":\"a\",\"age\":31,\"country\":\"NL\"},{\"name\":\"b\",\"age\":45,\"country\":\"NL\"},"
                        + "{\"name\":\"c\",\"age\":60,\"country\":\"DE\"}]");
        Lake lake = new Lake(catalog, kafka);
        await().atMost(Duration.ofSeconds(60)).until(() -> lake.rows(domain, product, 1).size() == 3);
    }

    private static ObjectNode descriptor(String sql, String schedule, String... rules) {
        ObjectNode d = Api.JSON.createObjectNode();
        d.put("title", "People over 30 by country");
        ArrayNode events = d.putArray("inputPorts").addObject().put("name", "events").put("type", "kafka")
                .put("partitions", 1).putArray("schema");
        events.addObject().put("name", "name").put("type", "string").put("required", true);
        events.addObject().put("name", "age").put("type", "int");
        events.addObject().put("name", "country").put("type", "string");
        ArrayNode schema = d.putArray("schema");
        schema.addObject().put("name", "country").put("type", "string").put("required", true);
        schema.addObject().put("name", "people").put("type", "long").put("required", true);
        ObjectNode transformation = d.putObject("transformation").put("sql", sql);
        if (schedule != null) {
            transformation.put("schedule", schedule);
        }
        ArrayNode quality = d.putArray("quality");
        for (String rule : rules) {
            quality.add(Api.JSON.readTree(rule));
        }
        return DescriptorJson.governed(d);
    }

    private JsonNode awaitEnd(String product, String id) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> {
            String state = api.get(runs(product) + "/" + id, member).json().path("state").asString();
            return state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED");
        });
        return api.get(runs(product) + "/" + id, member).json();
    }

    @Test
    void aRunIsRecordedFromQueuedToSucceededWithItsNumbers() {
        publish("people", "SELECT country, count(*) AS people FROM raw WHERE age > 30 GROUP BY country",
                "{\"name\":\"country-present\",\"type\":\"not_null\",\"column\":\"country\"}");
        Api.Response queued = api.post(runs("people"), member, Map.of());
        assertThat(queued.status()).as(queued.body()).isEqualTo(202);
        assertThat(queued.header("Location")).endsWith("/runs/" + queued.json().path("id").asString());
        assertThat(queued.json().path("state").asString()).isIn("QUEUED", "RUNNING");

        JsonNode run = awaitEnd("people", queued.json().path("id").asString());
        assertThat(run.path("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.path("published").asBoolean()).isTrue();
        assertThat(run.path("rowsRead").asLong()).isEqualTo(3);
        assertThat(run.path("bytesRead").asLong()).isPositive();
        assertThat(run.path("bytesWritten").asLong()).isPositive();
        assertThat(run.path("rowsWritten").asLong()).isEqualTo(2);
        assertThat(run.path("progress").asDouble()).isEqualTo(1.0);
        assertThat(run.path("durationMillis").asLong()).isPositive();
        assertThat(run.path("rules").get(0).path("passed").asBoolean()).isTrue();
        Table table = catalog.loadTable(TableIdentifier.of(domain.replace('-', '_'), "people_v1"));
        assertThat(run.path("snapshotId").isString()).as("64-bit ids are strings, every digit kept").isTrue();
        assertThat(run.path("snapshotId").asString()).isEqualTo(String.valueOf(table.currentSnapshot().snapshotId()));

        // Operators see it in the metrics: one run that ended SUCCEEDED, its duration and its rows.
        String metrics = api.get("/actuator/prometheus", ADMIN_KEY).body();
        String tags = "{domain=\"" + domain + "\",product=\"people\",state=\"SUCCEEDED\"}";
        assertThat(metrics).containsPattern("mesh_runs_total" + Pattern.quote(tags) + " 1(\\.0)?\n")
                .containsPattern("mesh_run_rows_written_total" + Pattern.quote(tags) + " 2(\\.0)?\n")
                .containsPattern("mesh_run_duration_seconds_count" + Pattern.quote(tags) + " 1(\\.0)?\n")
                .contains("# HELP mesh_runs_total runs that ended");

        JsonNode history = api.get(runs("people"), member).json();
        assertThat(history.path("total").asLong()).isEqualTo(1);
        assertThat(history.path("items").get(0).path("id").asString()).isEqualTo(run.path("id").asString());
        assertThat(api.post(runs("people"), issueKey("CONSUMER", domain), Map.of()).status()).isEqualTo(403);
    }

    @Test
    void aBlockedRunFailsNamingTheRuleAndOneRunAtATime() {
        publish("strict", "SELECT country, count(*) AS people FROM raw, range(3000000) GROUP BY country",
                "{\"name\":\"only-nl\",\"type\":\"accepted_values\",\"column\":\"country\",\"values\":[\"NL\"]}");
        Api.Response first = api.post(runs("strict"), member, Map.of());
        Api.Response second = api.post(runs("strict"), member, Map.of());
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.code()).isEqualTo("run-in-progress");
        JsonNode run = awaitEnd("strict", first.json().path("id").asString());
        assertThat(run.path("state").asString()).isEqualTo("FAILED");
        assertThat(run.path("published").asBoolean()).isFalse();
        assertThat(run.path("error").asString()).contains("only-nl");
        Table table = catalog.loadTable(TableIdentifier.of(domain.replace('-', '_'), "strict_v1"));
        assertThat(table.currentSnapshot().summary().getOrDefault("total-records", "0")).isEqualTo("0");
        // The product is free again.
        assertThat(api.post(runs("strict"), member, Map.of()).status()).isEqualTo(202);
    }

    @Test
    void eachMajorHasItsOwnRunsAndSlot() {
        publish("majors", "SELECT country, count(*) AS people FROM raw, range(3000000) GROUP BY country");
        // 2.0.0 renames a column (a breaking change: a new major with its own topic and tables).
        ObjectNode v2 = descriptor("SELECT country, count(*) AS persons FROM raw GROUP BY country", null);
        ((ObjectNode) v2.path("schema").get(1)).put("name", "persons");
        assertThat(api.put(versionPath(domain, "majors", "2.0.0"), ADMIN_KEY, v2).status()).isEqualTo(201);
        Api.Response published = api.post(versionPath(domain, "majors", "2.0.0") + "/transitions", ADMIN_KEY,
                Map.of("to", "PUBLISHED"));
        assertThat(published.status()).as(published.body()).isEqualTo(200);

        Api.Response v1 = api.post(runs("majors") + "?major=1", member, Map.of());
        assertThat(v1.status()).as(v1.body()).isEqualTo(202);
        assertThat(api.post(runs("majors") + "?major=1", member, Map.of()).code()).isEqualTo("run-in-progress");
        // The newest major by default, in a slot of its own while v1's run goes on.
        Api.Response newest = api.post(runs("majors"), member, Map.of());
        assertThat(newest.status()).as(newest.body()).isEqualTo(202);
        assertThat(newest.json().path("version").asString()).isEqualTo("2.0.0");
        assertThat(api.post(runs("majors") + "?major=3", member, Map.of()).code()).isEqualTo("not-published");

        JsonNode first = awaitEnd("majors", v1.json().path("id").asString());
        assertThat(first.path("state").asString()).as(first.toString()).isEqualTo("SUCCEEDED");
        assertThat(first.path("version").asString()).isEqualTo("1.0.0");
        assertThat(first.path("rowsWritten").asLong()).isEqualTo(2);
        JsonNode second = awaitEnd("majors", newest.json().path("id").asString());
        assertThat(second.path("state").asString()).as(second.toString()).isEqualTo("SUCCEEDED");
        assertThat(catalog.tableExists(TableIdentifier.of(domain.replace('-', '_'), "majors_v2"))).isTrue();
    }

    @Test
    void aRunWhoseVersionWasSupersededWhileItRanPublishesNothing() {
        publish("moving", "SELECT country, count(*) AS people FROM raw, range(12000000) GROUP BY country");
        String id = api.post(runs("moving"), member, Map.of()).json().path("id").asString();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> "writing".equals(
                api.get(runs("moving") + "/" + id, member).json().path("phase").asString()));
        // 1.1.0 comes out while 1.0.0's run writes.
        ObjectNode minor = descriptor("SELECT country, count(*) AS people FROM raw GROUP BY country", null);
        minor.put("title", "People over 30 by country, faster");
        assertThat(api.put(versionPath(domain, "moving", "1.1.0"), ADMIN_KEY, minor).status()).isEqualTo(201);
        assertThat(api.post(versionPath(domain, "moving", "1.1.0") + "/transitions", ADMIN_KEY,
                Map.of("to", "PUBLISHED")).status()).isEqualTo(200);

        // Published while a run held the product's slot, and it stays so (the slot is asked apart from the transition).
        assertThat(api.get(versionPath(domain, "moving", "1.1.0"), ADMIN_KEY).json().path("status").asString())
                .isEqualTo("PUBLISHED");

        JsonNode run = awaitEnd("moving", id);
        assertThat(run.path("state").asString()).as(run.toString()).isEqualTo("FAILED");
        assertThat(run.path("error").asString()).contains("superseded by 1.1.0");
        Table table = catalog.loadTable(TableIdentifier.of(domain.replace('-', '_'), "moving_v1"));
        assertThat(table.refs().keySet()).noneMatch(ref -> ref.startsWith("run_")).doesNotContain("v1.0.0");
        assertThat(table.currentSnapshot().summary().getOrDefault("total-records", "0")).isEqualTo("0");
    }

    @Test
    void aCancelledRunNeverPublishes() {
        publish("slow", "SELECT country, count(*) AS people FROM raw, range(40000000) GROUP BY country");
        String id = api.post(runs("slow"), member, Map.of()).json().path("id").asString();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> "writing".equals(
                api.get(runs("slow") + "/" + id, member).json().path("phase").asString()));
        JsonNode cancelling = api.post(runs("slow") + "/" + id + "/cancel", member, Map.of()).json();
        assertThat(cancelling.path("id").asString()).isEqualTo(id);
        JsonNode run = awaitEnd("slow", id);
        assertThat(run.path("state").asString()).as(run.toString()).isEqualTo("CANCELLED");
        assertThat(run.path("published").asBoolean()).isFalse();
        Table table = catalog.loadTable(TableIdentifier.of(domain.replace('-', '_'), "slow_v1"));
        assertThat(table.refs().keySet()).noneMatch(ref -> ref.startsWith("run_"));
        assertThat(table.currentSnapshot().summary().getOrDefault("total-records", "0")).isEqualTo("0");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void theCronScheduleStartsRuns() {
        // The product "hourly", scheduled every minute, was published when the class started.
        domain = scheduledDomain;
        member = scheduledMember;
        await().atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            JsonNode items = api.get(runs("hourly"), member).json().path("items");
            return items.size() > 0 && "SCHEDULE".equals(items.get(0).path("trigger").asString())
                    && "SUCCEEDED".equals(items.get(0).path("state").asString());
        });
        assertThat(api.get(runs("hourly"), member).json().path("items").get(0).path("requestedBy").asString())
                .isEqualTo("schedule");
        // Retired, it has no published version left to schedule: the shared platform stops running it each minute.
        for (String status : new String[]{"DEPRECATED", "RETIRED"}) {
            assertThat(api.post(versionPath(domain, "hourly", "1.0.0") + "/transitions", ADMIN_KEY,
                    Map.of("to", status)).status()).isEqualTo(200);
        }
    }

    @Test
    void aRunWhoseInstanceStoppedEndsFailedAndFreesTheProduct() {
        publish("orphan", "SELECT country, count(*) AS people FROM raw GROUP BY country");
        String id = UUID.randomUUID().toString();
        Instant long_ago = Instant.now().minusSeconds(600);
        // What a platform that died mid-run leaves behind.
        jdbc.update("insert into processing_run (id, domain_name, product_name, major, version, trigger_kind, state, "
                        + "phase, progress, owner_instance, heartbeat_at, created_at, started_at, cancel_requested) "
                        + "values (?, ?, 'orphan', 1, '1.0.0', 'API', 'RUNNING', 'writing', 0.3, 'gone-1', ?, ?, ?, false)",
                id, domain, Timestamp.from(long_ago), Timestamp.from(long_ago), Timestamp.from(long_ago));
        jdbc.update("insert into processing_active_run (product_key, run_id) values (?, ?)", domain + "/orphan/v1",
                id);
        assertThat(api.post(runs("orphan"), member, Map.of()).code()).isEqualTo("run-in-progress");

        JsonNode run = awaitEnd("orphan", id);
        assertThat(run.path("state").asString()).isEqualTo("FAILED");
        assertThat(run.path("error").asString()).contains("interrupted").contains("gone-1");
        Api.Response next = api.post(runs("orphan"), member, Map.of());
        assertThat(next.status()).isEqualTo(202);
        assertThat(awaitEnd("orphan", next.json().path("id").asString()).path("state").asString())
                .isEqualTo("SUCCEEDED");
    }
}
