package dev.meshplatform.app.bench;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.GovernedProducts;
import dev.meshplatform.governance.api.Access;
import dev.meshplatform.processing.api.ProcessingProperties;
import dev.meshplatform.processing.api.RunCatalog;
import dev.meshplatform.processing.api.RunControl;
import dev.meshplatform.processing.api.TransformationOutcome;
import dev.meshplatform.processing.api.Transformations;
import dev.meshplatform.registry.api.MaskKind;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.RowFilter;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A transformation that reads another domain's product through a grant (a row filter, two columns hashed, one
 * redacted), joins it with its own raw table, filters and groups; run by the platform (governed views in the run's
 * JVM, the sandboxed query, write to a staging branch, quality rules, publish) and, in the same rounds, as a plain
 * Spark job (its own JVM, set up as a run JVM is) that reads the same tables through the same governed expressions
 * and writes a table of the same schema and properties. For each size of {@code mesh.bench.rows} (default
 * 10,000,000 and 100,000,000), {@code mesh.bench.rounds} rounds (default 5) alternate the two; each JVM's start is
 * timed apart. Prints numbers; asserts nothing about speed. Run:
 * {@code ./mvnw -Pbench -pl platform-api -am verify -Dit.test=ProcessingBenchmark} (docs/benchmarks.md).
 */
class ProcessingBenchmark extends BenchmarkPlatform {

    static final List<Long> SIZES = Arrays.stream(System.getProperty("mesh.bench.rows", "10000000,100000000")
            .split(",")).map(String::trim).map(Long::parseLong).toList();
    static final int ROUNDS = Integer.getInteger("mesh.bench.rounds", 5);
    static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void processingSettings(DynamicPropertyRegistry registry) {
        registry.add("mesh.processing.compaction-interval", () -> "0s");
        // Each run starts its own JVM, timed apart: a spare starting beside a measured job would take its cores.
        registry.add("mesh.processing.warm-run-jvms", () -> "0");
    }

    @Autowired
    SparkSession spark;
    @Autowired
    Catalog catalog;
    @Autowired
    RunCatalog runCatalog;
    @Autowired
    Transformations transformations;
    @Autowired
    ProductCatalog products;
    @Autowired
    Access access;
    @Autowired
    ProcessingProperties processing;

    private String salesOwner;
    private String marketingOwner;

    @Test
    void processing() throws Exception {
        Api api = api();
        require(api.post("/api/v1/domains", ADMIN, Map.of("name", "sales", "title", "Sales", "ownerTeam", "s")), 201);
        require(api.post("/api/v1/domains", ADMIN, Map.of("name", "marketing", "title", "M", "ownerTeam", "m")), 201);
        salesOwner = secret(api.post("/api/v1/api-keys", ADMIN, Map.of("name", "s", "role", "DOMAIN_OWNER",
                "domain", "sales")));
        marketingOwner = secret(api.post("/api/v1/api-keys", ADMIN, Map.of("name", "m", "role", "DOMAIN_OWNER",
                "domain", "marketing")));
        List<String> summary = new ArrayList<>();
        for (long rows : SIZES) {
            summary.addAll(size(api, rows));
        }
        System.out.printf("%n=== Processing benchmark: %d cores, run JVMs on %s, %d shuffle partitions, medians of %d "
                        + "rounds ===%n", Runtime.getRuntime().availableProcessors(), processing.sparkMaster(),
                processing.shufflePartitions(), ROUNDS);
        summary.forEach(System.out::println);
    }

    /** Sets up the two products for {@code rows} rows and measures the rounds; returns the summary lines. */
    private List<String> size(Api api, long rows) throws Exception {
        String label = rows % 1_000_000 == 0 ? rows / 1_000_000 + "m" : String.valueOf(rows);
        String customers = "customers-" + label;
        String regions = "regions-" + label;
        long started = System.nanoTime();
        GovernedProducts.publishAndRun(api, ADMIN, "sales", customers, GovernedProducts.customers(rows));
        System.out.printf("%n[bench] %,d rows: sales/%s written by a run in %.1f s%n", rows, customers,
                (System.nanoTime() - started) / 1e9);

        String purpose = "regional-reach";
        String requests = "/api/v1/domains/sales/products/" + customers + "/access-requests";
        Api.Response requested = api.post(requests, marketingOwner, Map.of("purpose", purpose, "duration", "P1D"));
        require(requested, 201);
        require(api.post(requests + "/" + requested.json().path("id").asString() + "/approve", salesOwner,
                Map.of("rowFilters", List.of("country:ne:FR"), "reason", "benchmark")), 200);

        ProductMajor input = new ProductMajor("sales", customers, 1);
        String query = "SELECT r.region, count(*) AS customers, max(c.email) AS last_email, sum(c.id) AS id_sum "
                + "FROM " + input.inputView() + " c JOIN raw r ON c.country = r.country "
                + "WHERE c.id % 4 <> 0 GROUP BY r.region";
        publish(api, regions, regionsDescriptor(input, purpose, query));
        ProductMajor output = new ProductMajor("marketing", regions, 1);
        spark.sql("SELECT * FROM VALUES ('NL', 'West'), ('DE', 'Central'), ('FR', 'West') AS t(country, region)")
                .selectExpr("country", "region", "CAST(0 AS INT) AS _source_partition",
                        "CAST(0 AS BIGINT) AS _source_offset", "current_timestamp() AS _kafka_timestamp",
                        "current_timestamp() AS _ingested_at")
                .writeTo("mesh." + output.namespace() + "." + output.rawTable()).append();

        // A first run through the API, not counted: queue latency, and the output table for the plain job's twin.
        JsonNode first = GovernedProducts.runToEnd(api, marketingOwner, "marketing", regions);
        if (!"SUCCEEDED".equals(first.path("state").asString())) {
            throw new IllegalStateException("the first run did not succeed: " + first);
        }
        System.out.printf("[bench] %,d rows: first run through the API %s in %d ms (trigger -> running %d ms)%n",
                rows, first.path("state").asString(), first.path("durationMillis").asLong(),
                Duration.between(Instant.parse(first.path("createdAt").asString()),
                        Instant.parse(first.path("startedAt").asString())).toMillis());

        ProductVersionView version = products.getVersion("marketing", regions, "1.0.0");
        Table outputTable = catalog.loadTable(TableIdentifier.of(output.namespace(), output.outputTable()));
        TableIdentifier plainTarget = TableIdentifier.of(output.namespace(), output.outputTable() + "_plain");
        catalog.createTable(plainTarget, outputTable.schema(), outputTable.spec(), outputTable.properties());
        Map<String, String> plainJob = plainJob(version, query, output, plainTarget);
        System.out.printf("[bench] plain job's views: %s%n", plainJob.get("views"));

        List<Round> rounds = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            Round measured;
            // The order alternates, so that a drift of the machine's speed weighs on both alike.
            if (round % 2 == 1) {
                Platform platform = platformRun(version, "bench-" + label + "-" + round);
                measured = new Round(platform, plainRun(plainJob));
            } else {
                Measure plain = plainRun(plainJob);
                measured = new Round(platformRun(version, "bench-" + label + "-" + round), plain);
            }
            rounds.add(measured);
            System.out.printf("[bench] %,d rows, round %d: platform %.2f s (in the platform %.2f s: checks, access "
                            + "decision, branch; governed read + query + write %.2f s; quality rules %.2f s; "
                            + "publish %.2f s), plain job %.2f s; platform / plain = %.3f; run JVM start %.1f s, "
                            + "plain job JVM start %.1f s%n", rows, round, measured.platform().seconds(),
                    measured.platform().before(), measured.platform().work(), measured.platform().rules(),
                    measured.platform().publish(), measured.plain().seconds(), measured.ratio(),
                    measured.platform().jvmStart(), measured.plain().jvmStart());
        }
        long inputBytes = Long.parseLong(catalog.loadTable(TableIdentifier.of(input.namespace(), input.outputTable()))
                .currentSnapshot().summary().getOrDefault("total-files-size", "0"));
        double platform = median(rounds.stream().mapToDouble(r -> r.platform().seconds()).toArray());
        double plain = median(rounds.stream().mapToDouble(r -> r.plain().seconds()).toArray());
        return List.of(
                String.format(Locale.ROOT, "%,d rows (%.0f MB of Parquet read): platform run %.2f s, plain Spark job "
                                + "%.2f s (medians)", rows, inputBytes / 1e6, platform, plain),
                String.format(Locale.ROOT, "%,d rows: platform / plain = %.3f (median of the rounds' ratios %.3f; "
                                + "rounds %s)", rows, platform / plain,
                        median(rounds.stream().mapToDouble(Round::ratio).toArray()), rounds.stream()
                                .map(r -> String.format(Locale.ROOT, "%.3f", r.ratio()))
                                .collect(Collectors.joining(", "))),
                String.format(Locale.ROOT, "%,d rows: JVM start, not in the figures above: run JVM %.1f s, plain "
                                + "job JVM %.1f s (medians)", rows,
                        median(rounds.stream().mapToDouble(r -> r.platform().jvmStart()).toArray()),
                        median(rounds.stream().mapToDouble(r -> r.plain().jvmStart()).toArray())));
    }

    private ObjectNode regionsDescriptor(ProductMajor input, String purpose, String query) {
        ObjectNode d = JSON.createObjectNode().put("title", "Reach by region");
        ArrayNode ports = d.putArray("inputPorts");
        ArrayNode raw = ports.addObject().put("name", "countries").put("type", "kafka").put("partitions", 1)
                .put("startLanding", false).putArray("schema");
        raw.addObject().put("name", "country").put("type", "string");
        raw.addObject().put("name", "region").put("type", "string");
        ports.addObject().put("name", "customers").put("type", "product").put("domain", input.domain())
                .put("product", input.product()).put("majorVersion", input.major()).put("purpose", purpose);
        ArrayNode schema = d.putArray("schema");
        schema.addObject().put("name", "region").put("type", "string").put("required", true);
        schema.addObject().put("name", "customers").put("type", "long").put("required", true);
        // Derived from a PII column (hashed, but still of a person): classified as its source is.
        schema.addObject().put("name", "last_email").put("type", "string").put("classification", "PII");
        schema.addObject().put("name", "id_sum").put("type", "long");
        d.putObject("retention").put("period", "P365D");
        d.putObject("transformation").put("sql", query);
        ArrayNode quality = d.putArray("quality");
        quality.addObject().put("name", "region-present").put("type", "not_null").put("column", "region");
        quality.addObject().put("name", "one-row-per-region").put("type", "unique").put("column", "region");
        quality.addObject().put("name", "some-rows").put("type", "row_count").put("min", 1);
        return DescriptorJson.governed(d);
    }

    private void publish(Api api, String product, ObjectNode descriptor) {
        String version = "/api/v1/domains/marketing/products/" + product + "/versions/1.0.0";
        require(api.put(version, marketingOwner, descriptor), 201);
        require(api.post(version + "/transitions", marketingOwner, Map.of("to", "PUBLISHED")), 200);
    }

    /**
     * The plain job: the same query over views that a team would write by hand, here written from governance's own
     * decision for this product's runs (columns, row filters, masks as SQL over the input's table), so that both
     * read exactly the same.
     */
    private Map<String, String> plainJob(ProductVersionView version, String query, ProductMajor output,
                                         TableIdentifier target) {
        Access.RunInputs decided = access.decideRunInputs(version, "bench-plain-views");
        if (decided.refusal() != null) {
            throw new IllegalStateException("the plain job's inputs were refused: " + decided.refusal());
        }
        ObjectNode views = JSON.createObjectNode();
        views.put("raw", "SELECT * FROM mesh." + output.namespace() + "." + output.rawTable());
        for (Access.InputRead read : decided.inputs()) {
            ProductMajor input = new ProductMajor(read.domain(), read.product(), read.major());
            Table table = catalog.loadTable(TableIdentifier.of(input.namespace(), input.outputTable()));
            List<String> columns = read.columns().isEmpty()
                    ? table.schema().columns().stream().map(Types.NestedField::name).toList() : read.columns();
            String select = columns.stream().map(column -> masked(column, read.masks().get(column), table))
                    .collect(Collectors.joining(", "));
            String where = read.rowFilters().stream().map(ProcessingBenchmark::condition)
                    .collect(Collectors.joining(" AND "));
            views.put(input.inputView(), "SELECT " + select + " FROM mesh." + input.namespace() + "."
                    + input.outputTable() + (where.isEmpty() ? "" : " WHERE " + where));
        }
        ObjectNode job = JSON.createObjectNode();
        job.set("views", views);
        job.put("query", query);
        job.put("target", target.toString());
        return Map.of("views", views.toString(), "command", "job " + job);
    }

    /** A column as the platform's mask of top-level columns computes it (this benchmark masks no nested field). */
    private static String masked(String column, MaskKind mask, Table table) {
        String name = "`" + column + "`";
        if (mask == null) {
            return name;
        }
        return switch (mask) {
            case HASH -> "mesh_mask_hash(CAST(" + name + " AS STRING)) AS " + name;
            case REDACT -> "CASE WHEN " + name + " IS NOT NULL THEN '" + dev.meshplatform.registry.api.Masker.REDACTED
                    + "' END AS " + name;
            case NULL -> "CAST(NULL AS " + table.schema().findType(column).toString() + ") AS " + name;
            default -> throw new IllegalStateException("the benchmark's plain job has no SQL for the mask " + mask);
        };
    }

    private static String condition(RowFilter filter) {
        String column = "`" + filter.column() + "`";
        List<String> values = filter.values().stream().map(v -> "'" + v.replace("'", "\\'") + "'").toList();
        return switch (filter.operator()) {
            case EQ -> column + " = " + values.get(0);
            case NE -> column + " <> " + values.get(0);
            case LT -> column + " < " + values.get(0);
            case LE -> column + " <= " + values.get(0);
            case GT -> column + " > " + values.get(0);
            case GE -> column + " >= " + values.get(0);
            case IN -> column + " IN (" + String.join(", ", values) + ")";
            case IS_NULL -> column + " IS NULL";
            case NOT_NULL -> column + " IS NOT NULL";
        };
    }

    /**
     * One platform run in process, its phases timed as they are reported: the work in the platform before the run's
     * JVM is asked for, the JVM's start (apart), the governed read, query and write, the rules, the publication.
     */
    private Platform platformRun(ProductVersionView version, String runId) {
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
        TransformationOutcome outcome = transformations.run(version, runId, timing);
        long end = System.nanoTime();
        if (!outcome.published()) {
            throw new IllegalStateException("run " + runId + " did not publish: " + outcome.rules());
        }
        long starting = phases.get("starting");
        long reading = phases.get("reading");
        long auditing = phases.get("auditing");
        long publishing = phases.get("publishing");
        return new Platform((starting - begin) / 1e9, (reading - starting) / 1e9, (auditing - reading) / 1e9,
                (publishing - auditing) / 1e9, (end - publishing) / 1e9);
    }

    /** One plain job in a JVM of its own, started for it: its start timed apart, then the job. */
    private Measure plainRun(Map<String, String> job) throws Exception {
        long started = System.nanoTime();
        int slots = Math.max(1, Math.min(processing.taskSlotsPerRun(), processing.taskSlotsPerDomain()));
        String master = processing.sparkMaster().startsWith("local") ? "local[" + slots + "]"
                : processing.sparkMaster();
        try (SparkPeerProcess jvm = new SparkPeerProcess(DATA.resolve("plain-job"), "plain-job",
                processing.runJvmHeap(), PlainSparkJob.class,
                List.of(master, String.valueOf(processing.shufflePartitions())), runCatalog.properties())) {
            long ready = System.nanoTime();
            jvm.send(job.get("command"));
            jvm.awaitReply("done", Duration.ofMinutes(30));
            return new Measure((System.nanoTime() - ready) / 1e9, (ready - started) / 1e9);
        }
    }

    private record Platform(double before, double jvmStart, double work, double rules, double publish) {
        /** The run without its JVM's start. */
        double seconds() {
            return before + work + rules + publish;
        }
    }

    private record Measure(double seconds, double jvmStart) {
    }

    private record Round(Platform platform, Measure plain) {
        double ratio() {
            return platform.seconds() / plain.seconds();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String secret(Api.Response issued) {
        require(issued, 201);
        return issued.json().path("secret").asString();
    }
}
