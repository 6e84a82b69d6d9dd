package dev.meshplatform.processing.runs;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.GovernedProducts;
import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.processing.api.SqlRefusedException;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The hostile corpus at run time: every entry executed as a run executes it — parsed and checked by the query's
 * session, resolved, checked again, run — in a query session over the corpus's views. Each ends as the corpus says:
 * refused with its construct, its rows, its failure, or still running at the corpus's limit (then cancelled); the
 * entries that exhaust a heap run in run JVMs of the platform's and fail alone. Before and after, nothing of the
 * platform's changed: every table's metadata, the bucket's objects, the Spark context's jars, files and class path;
 * and the platform still answers and still lands events.
 */
class HostileCorpusIT extends PlatformIT {

    /** How long a runaway entry must still be running to count as such. */
    private static final Duration RUNAWAY = Duration.ofSeconds(3);

    @Autowired
    Catalog catalog;
    @Autowired
    S3Client s3;
    @Autowired
    SparkSession spark;

    /** What the corpus must leave unchanged. */
    record State(Map<String, String> tableMetadata, Map<String, Long> mains, Map<String, String> objects,
                 List<String> jars, List<String> files, List<String> classPath) {
    }

    private State state() {
        Map<String, String> metadata = new TreeMap<>();
        Map<String, Long> mains = new TreeMap<>();
        for (Namespace namespace : ((SupportsNamespaces) catalog).listNamespaces()) {
            for (TableIdentifier id : catalog.listTables(namespace)) {
                org.apache.iceberg.Table table = catalog.loadTable(id);
                metadata.put(id.toString(), ((HasTableOperations) table).operations().current().metadataFileLocation());
                mains.put(id.toString(), table.currentSnapshot() == null ? -1L : table.currentSnapshot().snapshotId());
            }
        }
        Map<String, String> objects = new TreeMap<>();
        s3.listObjectsV2Paginator(b -> b.bucket("mesh")).contents()
                .forEach((S3Object o) -> objects.put(o.key(), o.eTag()));
        var context = spark.sparkContext();
        List<String> classPath = Arrays.stream(((org.apache.spark.sql.classic.SparkSession) spark).sharedState()
                .jarClassLoader().getURLs()).map(URL::toString).sorted().toList();
        return new State(metadata, mains, objects, scala.jdk.javaapi.CollectionConverters.asJava(context.listJars()),
                scala.jdk.javaapi.CollectionConverters.asJava(context.listFiles()), classPath);
    }

    @Test
    void everyEntryEndsAsTheCorpusSaysAndNothingOfThePlatformsChanges() throws Exception {
        String domain = createDomain("corpus");
        // A landing product: after the corpus, its events must still land (the platform's loops still tick).
        ObjectNode landing = Api.JSON.createObjectNode().put("title", "Events");
        landing.putArray("inputPorts").addObject().put("name", "events").put("type", "kafka").put("partitions", 1);
        landing.putArray("schema").addObject().put("name", "id").put("type", "long").put("required", true);
        String version = versionPath(domain, "events", "1.0.0");
        assertThat(api.put(version, ADMIN_KEY, DescriptorJson.governed(landing)).status()).isEqualTo(201);
        assertThat(api.post(version + "/transitions", ADMIN_KEY, Map.of("to", "PUBLISHED")).status()).isEqualTo(200);

        // Its landing job settles first (its first commit claims the table), so that only the corpus could change it.
        String product = "/api/v1/domains/" + domain + "/products/events";
        assertThat(api.post(product + "/events", ADMIN_KEY, "[{\"id\":1}]").json().path("accepted").asInt())
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get(product + "/landing", ADMIN_KEY).json().path("items").get(0)
                .path("recordsLanded").asLong() == 1);

        State before = state();
        long corpusStarted = System.currentTimeMillis();
        SandboxedRun run = sandbox();
        List<String> outcomes = new ArrayList<>();
        for (HostileCorpus.Entry entry : HostileCorpus.entries()) {
            if (entry.expect().equals("out-of-memory")) {
                continue;
            }
            outcomes.add(entry.id() + ": " + execute(run, entry));
        }
        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).endsWith(": as expected"));
        isolation(run);
        State after = state();
        assertThat(after.tableMetadata().keySet()).isEqualTo(before.tableMetadata().keySet());
        for (String table : after.tableMetadata().keySet()) {
            if (!after.tableMetadata().get(table).equals(before.tableMetadata().get(table))) {
                assertChangedByThePlatformAlone(table, before.mains().get(table), corpusStarted);
            }
        }
        // Objects: nothing the corpus wrote; the platform's own landing and runs (the tables checked above) may add.
        assertThat(after.objects().keySet()).containsAll(before.objects().keySet());
        before.objects().forEach((key, etag) -> assertThat(after.objects().get(key)).as(key).isEqualTo(etag));
        after.objects().keySet().stream().filter(key -> !before.objects().containsKey(key)).forEach(key ->
                assertThat(changedTables(before, after).stream().anyMatch(t -> key.startsWith(t.replace('.', '/'))))
                        .as("new object " + key + " belongs to a table the platform itself changed").isTrue());
        assertThat(after.jars()).isEqualTo(before.jars());
        assertThat(after.files()).isEqualTo(before.files());
        assertThat(after.classPath()).isEqualTo(before.classPath());

        assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
        assertThat(api.post(product + "/events", ADMIN_KEY, "[{\"id\":2},{\"id\":3}]").json().path("accepted")
                .asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get(product + "/landing", ADMIN_KEY).json().path("items").get(0)
                .path("recordsLanded").asLong() == 3);

        // Entries that exhaust a heap run where runs run: each in a run JVM that dies alone.
        for (HostileCorpus.Entry entry : HostileCorpus.entries()) {
            if (entry.expect().equals("out-of-memory")) {
                JsonNode ended = runOnThePlatform(domain, entry);
                assertThat(ended.path("state").asString()).as(entry.id()).isEqualTo("FAILED");
                assertThat(ended.path("error").asString()).as(entry.id()).startsWith("the run's JVM ran out of memory");
            }
        }
        assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
    }

    /**
     * Other tests' products go on meanwhile (a schedule fires every minute, landing jobs commit and expire): a table
     * that changed during the corpus must have changed by the platform's own work only — every snapshot it gained
     * written by a landing job or a run's JVM, and main at one of them or where it was.
     */
    private void assertChangedByThePlatformAlone(String name, long mainBefore, long since) {
        org.apache.iceberg.Table table = catalog.loadTable(TableIdentifier.parse(name));
        for (org.apache.iceberg.Snapshot snapshot : table.snapshots()) {
            if (snapshot.timestampMillis() >= since) {
                Map<String, String> summary = snapshot.summary();
                assertThat(summary.containsKey("mesh.landing.records") || "mesh-run".equals(summary.get("app-name"))
                        || "replace".equals(snapshot.operation()))
                        .as(name + " gained snapshot " + snapshot.snapshotId() + " " + summary).isTrue();
            }
        }
        // Main moved only forward, to a snapshot made meanwhile (a rollback would point it at an older one).
        org.apache.iceberg.Snapshot main = table.currentSnapshot();
        long mainAfter = main == null ? -1L : main.snapshotId();
        assertThat(mainAfter == mainBefore || main.timestampMillis() >= since).as(name + "'s main").isTrue();
    }

    private static List<String> changedTables(State before, State after) {
        return after.tableMetadata().keySet().stream()
                .filter(t -> !after.tableMetadata().get(t).equals(before.tableMetadata().get(t))).toList();
    }

    /** A run's sandbox in this JVM, its views made from the corpus's data as platform code would hand them over. */
    private SandboxedRun sandbox() {
        var query = SandboxedRun.querySession(spark);
        var scratch = (org.apache.spark.sql.classic.SparkSession) spark.newSession();
        JsonNode views = HostileCorpus.document().path("views");
        views.propertyNames().forEach(name -> {
            JsonNode view = views.path(name);
            StructType schema = StructType.fromDDL(String.join(", ", view.path("columns").valueStream()
                    .map(JsonNode::asString).toList()));
            List<String> rows = new ArrayList<>();
            view.path("rows").forEach(row -> {
                List<String> values = new ArrayList<>();
                row.forEach(value -> values.add(value.isString() ? "'" + value.asString() + "'" : value.toString()));
                rows.add("(" + String.join(", ", values) + ")");
            });
            Dataset<Row> data = scratch.sql("SELECT * FROM VALUES " + String.join(", ", rows) + " AS t("
                    + String.join(", ", Arrays.stream(schema.fieldNames()).toList()) + ")");
            for (var field : schema.fields()) {
                data = data.withColumn(field.name(), data.col(field.name()).cast(field.dataType()));
            }
            org.apache.spark.sql.classic.Dataset$.MODULE$.ofRows(query, data.queryExecution().analyzed())
                    .createOrReplaceTempView(name);
        });
        return new SandboxedRun(new SandboxedRun.Sessions(null, query), null, event -> { });
    }

    private String execute(SandboxedRun run, HostileCorpus.Entry entry) throws InterruptedException {
        Set<String> views = entry.views();
        switch (entry.expect()) {
            case "refused" -> {
                Throwable thrown = catchThrowable(() -> run.query(entry.sql(), views));
                if (!(thrown instanceof SqlRefusedException refused)) {
                    return "not refused at run time (" + thrown + ")";
                }
                return entry.construct() == null || refused.construct().contains(entry.construct()) ? "as expected"
                        : "refused as " + refused.construct();
            }
            case "rows" -> {
                List<Row> rows;
                try {
                    rows = run.query(entry.sql(), views).collectAsList();
                } catch (Exception e) {
                    return "failed: " + e.getMessage();
                }
                if (entry.rows() == null || entry.rows().isNull()) {
                    return "as expected";
                }
                List<String> expected = new ArrayList<>();
                entry.rows().forEach(row -> expected.add(canonical(row)));
                List<String> actual = rows.stream().map(HostileCorpusIT::canonical).toList();
                return actual.equals(expected) ? "as expected" : "rows " + actual + " instead of " + expected;
            }
            case "failed" -> {
                Throwable thrown = catchThrowable(() -> run.query(entry.sql(), views).collectAsList());
                if (thrown == null) {
                    return "did not fail";
                }
                String message = String.valueOf(thrown.getMessage());
                return message.contains(entry.cause()) ? "as expected" : "failed otherwise: " + message;
            }
            case "timeout" -> {
                return runaway(run, entry);
            }
            default -> {
                return "unknown expectation " + entry.expect();
            }
        }
    }

    /** Starts the entry, checks it still runs after {@link #RUNAWAY}, then cancels it and waits for its end. */
    private String runaway(SandboxedRun run, HostileCorpus.Entry entry) throws InterruptedException {
        Dataset<Row> query = run.query(entry.sql(), entry.views());
        String group = "corpus-" + entry.id();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            spark.sparkContext().setJobGroup(group, entry.id(), true);
            try {
                query.collectAsList();
            } catch (Throwable e) {
                ended.set(e);
            }
        }, group);
        worker.start();
        worker.join(RUNAWAY.toMillis());
        boolean stillRunning = worker.isAlive();
        // A cancel reaches only the jobs running at that moment: on a loaded machine the query may still be planning
        // (or between its broadcast and its main job), so the group is cancelled again until the worker ends.
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        do {
            spark.sparkContext().cancelJobGroup(group);
            worker.join(1_000);
        } while (worker.isAlive() && System.nanoTime() < deadline);
        if (!stillRunning) {
            return "ended before its limit (" + ended.get() + ")";
        }
        return worker.isAlive() ? "could not be stopped" : "as expected";
    }

    /** What the query's session reaches even past the checks: nothing but its views. */
    private void isolation(SandboxedRun run) {
        var query = SandboxedRun.querySession(spark);
        for (String sql : List.of("SELECT * FROM mesh.corpus.events_v1__raw", "SELECT * FROM spark_catalog.default.t",
                "SELECT * FROM global_temp.t", "SELECT * FROM parquet.`/etc`", "SELECT * FROM json.`/etc/passwd`")) {
            assertThat(catchThrowable(() -> query.sql(sql).collectAsList())).as(sql)
                    .isInstanceOf(org.apache.spark.sql.AnalysisException.class);
        }
        assertThat(query.conf().getOption("spark.sql.catalog.mesh").isEmpty()).isTrue();
        assertThat(catchThrowable(() -> run.query("SELECT * FROM mesh.corpus.events_v1__raw", Set.of("raw"))))
                .isInstanceOf(SqlRefusedException.class);
    }

    private JsonNode runOnThePlatform(String domain, HostileCorpus.Entry entry) {
        String product = entry.id();
        ObjectNode d = Api.JSON.createObjectNode().put("title", "Corpus entry " + entry.id());
        d.putArray("schema").addObject().put("name", "n").put("type", "long");
        d.putObject("transformation").put("sql", "SELECT CAST(n AS BIGINT) AS n FROM (" + entry.sql() + ") AS t");
        String version = versionPath(domain, product, "1.0.0");
        Api.Response applied = api.put(version, ADMIN_KEY, DescriptorJson.governed(d));
        assertThat(applied.status()).as(applied.body()).isEqualTo(201);
        assertThat(api.post(version + "/transitions", ADMIN_KEY, Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
        return GovernedProducts.runToEnd(api, ADMIN_KEY, domain, product);
    }

    private static String canonical(Row row) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < row.length(); i++) {
            values.add(canonical(row.get(i)));
        }
        return values.toString();
    }

    private static String canonical(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
        }
        if (value instanceof scala.collection.Seq<?> seq) {
            return scala.jdk.javaapi.CollectionConverters.asJava(seq).stream().map(HostileCorpusIT::canonical)
                    .toList().toString();
        }
        return value.toString();
    }

    private static String canonical(JsonNode row) {
        List<String> values = new ArrayList<>();
        row.forEach(value -> values.add(value.isNull() ? "null" : value.isNumber()
                ? value.decimalValue().stripTrailingZeros().toPlainString()
                : value.isArray() ? canonical(value) : value.asString()));
        return values.toString();
    }
}
