package dev.meshplatform.app.bench;

import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.processing.api.RunControl;
import dev.meshplatform.processing.api.TransformationOutcome;
import dev.meshplatform.processing.api.Transformations;
import dev.meshplatform.registry.api.ProductCatalog;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A transformation with a filter, a group-by and a join with a second product over {@code mesh.bench.rows} (default
 * 10,000,000) raw events, run by the platform (write–audit–publish) and, in the same run, as a plain Spark job with
 * the same query on the same tables. Prints numbers; asserts nothing about speed.
 * Run: {@code ./mvnw -Pbench -pl platform-api -am verify -Dit.test=ProcessingBenchmark} (docs/benchmarks.md).
 */
class ProcessingBenchmark extends BenchmarkPlatform {

    static final long ROWS = Long.getLong("mesh.bench.rows", 10_000_000);
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String QUERY = "SELECT c.region, count(*) AS events, sum(e.amount) AS amount FROM raw e "
            + "JOIN bench__countries_v1 c ON e.country = c.country WHERE e.age > 30 GROUP BY c.region";

    @DynamicPropertySource
    static void processingSettings(DynamicPropertyRegistry registry) {
        registry.add("mesh.processing.compaction-interval", () -> "0s");
    }

    @Autowired
    SparkSession spark;
    @Autowired
    Catalog catalog;
    @Autowired
    Transformations transformations;
    @Autowired
    ProductCatalog products;

    private void publish(Api api, String product, ObjectNode descriptor) {
        String version = "/api/v1/domains/bench/products/" + product + "/versions/1.0.0";
        require(api.put(version, ADMIN, DescriptorJson.governed(descriptor)), 201);
        require(api.post(version + "/transitions", ADMIN, Map.of("to", "PUBLISHED")), 200);
    }

    private static ObjectNode field(ArrayNode schema, String name, String type) {
        return schema.addObject().put("name", name).put("type", type);
    }

    @Test
    void processing() throws Exception {
        Api api = api();
        require(api.post("/api/v1/domains", ADMIN, Map.of("name", "bench", "title", "bench", "ownerTeam", "bench")),
                201);

        ObjectNode countries = JSON.createObjectNode().put("title", "Countries");
        ArrayNode countryEvents = countries.putArray("inputPorts").addObject().put("name", "events")
                .put("type", "kafka").put("partitions", 1).put("startLanding", false).putArray("schema");
        field(countryEvents, "country", "string");
        field(countryEvents, "region", "string");
        ArrayNode countrySchema = countries.putArray("schema");
        field(countrySchema, "country", "string");
        field(countrySchema, "region", "string");
        countries.putObject("transformation").put("sql", "SELECT country, region FROM raw");
        publish(api, "countries", countries);

        ObjectNode events = JSON.createObjectNode().put("title", "Amounts by region");
        ArrayNode ports = events.putArray("inputPorts");
        ArrayNode eventSchema = ports.addObject().put("name", "events").put("type", "kafka").put("partitions", 6)
                .put("startLanding", false).putArray("schema");
        field(eventSchema, "id", "long");
        field(eventSchema, "country", "string");
        field(eventSchema, "amount", "double");
        field(eventSchema, "age", "int");
        field(eventSchema, "seen_at", "timestamp");
        ports.addObject().put("name", "countries").put("type", "product").put("domain", "bench")
                .put("product", "countries").put("majorVersion", 1);
        ArrayNode schema = events.putArray("schema");
        field(schema, "region", "string").put("required", true);
        field(schema, "events", "long").put("required", true);
        field(schema, "amount", "double");
        events.putObject("transformation").put("sql", QUERY);
        ArrayNode quality = events.putArray("quality");
        quality.addObject().put("name", "region-present").put("type", "not_null").put("column", "region");
        quality.addObject().put("name", "one-row-per-region").put("type", "unique").put("column", "region");
        quality.addObject().put("name", "some-rows").put("type", "row_count").put("min", 1);
        publish(api, "events", events);

        // Raw data straight into the raw tables (this measures processing, not landing).
        long started = System.nanoTime();
        spark.range(200).selectExpr("concat('C', id) AS country", "concat('R', id % 12) AS region",
                        "CAST(0 AS INT) AS _source_partition", "id AS _source_offset",
                        "current_timestamp() AS _kafka_timestamp", "current_timestamp() AS _ingested_at")
                .writeTo("mesh.bench.countries_v1__raw").append();
        spark.range(ROWS).selectExpr("id", "concat('C', id % 200) AS country", "(id % 10000) / 100.0 AS amount",
                        "CAST(18 + id % 60 AS INT) AS age", "current_timestamp() AS seen_at",
                        "CAST(id % 6 AS INT) AS _source_partition", "id AS _source_offset",
                        "current_timestamp() AS _kafka_timestamp", "current_timestamp() AS _ingested_at")
                .repartition(8).writeTo("mesh.bench.events_v1__raw").append();
        System.out.printf("%n=== Processing benchmark: %d raw events, %d cores; raw data written in %.1f s ===%n",
                ROWS, Runtime.getRuntime().availableProcessors(), (System.nanoTime() - started) / 1e9);
        TransformationOutcome countriesRun = transformations.run(products.getVersion("bench", "countries", "1.0.0"),
                "countries-1");
        if (!countriesRun.published()) {
            throw new IllegalStateException("countries not published: " + countriesRun.rules());
        }
        Table raw = catalog.loadTable(TableIdentifier.of("bench", "events_v1__raw"));
        long rawBytes = Long.parseLong(raw.currentSnapshot().summary().getOrDefault("total-files-size", "0"));

        for (int round = 1; round <= 2; round++) {
            // Through the API: queue latency and the whole run.
            JsonNode queued = api.post("/api/v1/domains/bench/products/events/runs", ADMIN, Map.of()).json();
            String id = queued.path("id").asString();
            await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(200)).until(() -> api.get(
                    "/api/v1/domains/bench/products/events/runs/" + id, ADMIN).json().path("finishedAt").isString());
            JsonNode run = api.get("/api/v1/domains/bench/products/events/runs/" + id, ADMIN).json();
            long toRunning = Duration.between(Instant.parse(run.path("createdAt").asString()),
                    Instant.parse(run.path("startedAt").asString())).toMillis();

            // In-process with phase timings: transform+write apart from the quality rules.
            Map<String, Long> phases = new LinkedHashMap<>();
            RunControl timing = new RunControl() {
                @Override
                public void phase(String phase, double progress) {
                    phases.put(phase, System.nanoTime());
                }

                @Override
                public boolean cancelled() {
                    return false;
                }
            };
            long begin = System.nanoTime();
            TransformationOutcome outcome = transformations.run(products.getVersion("bench", "events", "1.0.0"),
                    "bench-" + round, timing);
            long end = System.nanoTime();
            double transformWrite = (phases.get("auditing") - phases.get("writing")) / 1e9;
            double rulesSeconds = (phases.get("publishing") - phases.get("auditing")) / 1e9;

            // The same query as a plain Spark job on the same tables, without the platform.
            spark.table("mesh.bench.events_v1__raw").createOrReplaceTempView("raw");
            spark.table("mesh.bench.countries_v1").createOrReplaceTempView("bench__countries_v1");
            long plainStart = System.nanoTime();
            spark.sql(QUERY).writeTo("mesh.bench.plain_out").createOrReplace();
            double plain = (System.nanoTime() - plainStart) / 1e9;

            System.out.printf("round %d: API run %s in %d ms (trigger -> running %d ms)%n", round,
                    run.path("state").asString(), run.path("durationMillis").asLong(), toRunning);
            System.out.printf("round %d: platform run %.1f s; transform+write %.2f s (%.0f rows/s, %.1f MB/s read), "
                            + "quality rules %.2f s, published %s%n", round, (end - begin) / 1e9, transformWrite,
                    ROWS / transformWrite, rawBytes / transformWrite / 1e6, rulesSeconds, outcome.published());
            System.out.printf("round %d: plain Spark job %.2f s; platform transform+write / plain = %.2f%n%n", round,
                    plain, transformWrite / plain);
        }
    }
}
