package dev.meshplatform.app.bench;

import ch.qos.logback.classic.Level;
import dev.meshplatform.registry.api.Masker;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.lit;

/**
 * The processing benchmark's peer: the job a team would write without the platform, as a JVM of its own on the
 * platform's class path, set up as a run JVM is (the same master and task slots, shuffle partitions, time zone and
 * Iceberg catalog; warmed up on a scratch table before its job). Arguments: the Spark master and the shuffle
 * partitions. It reads the catalog's properties from standard input up to an empty line, then answers on lines that
 * start with {@value SparkStreamingPeer#REPLY}: {@code ready} once Spark is up and warm, then one per command:
 * <ul>
 *   <li>{@code job <json>}: {@code {"views": {"name": "SELECT …"}, "query": "SELECT …", "target": "ns.table"}}: each
 *   view as a temporary view (in order), then the query's result written over the target table (an overwrite, as a
 *   run writes its branch); answered {@code done <milliseconds>}.</li>
 * </ul>
 * The views may call {@code mesh_mask_hash(text)}: the HMAC the platform's HASH mask computes, by the same code (a
 * fixed key here).
 */
public final class PlainSparkJob {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private PlainSparkJob() {
    }

    public static void main(String[] args) throws Exception {
        // No logback configuration on the test class path: its default logs everything at DEBUG.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.WARN);
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String catalog = "spark.sql.catalog." + SparkStreamingPeer.CATALOG;
        SparkSession.Builder builder = SparkSession.builder()
                .appName("plain-job")
                .master(args[0])
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.catalogImplementation", "in-memory")
                .config("spark.sql.shuffle.partitions", args[1])
                .config("spark.sql.session.timeZone", "UTC")
                .config(catalog, "org.apache.iceberg.spark.SparkCatalog")
                .config(catalog + ".cache-enabled", "false");
        for (String line = input.readLine(); line != null && !line.isEmpty(); line = input.readLine()) {
            int equals = line.indexOf('=');
            builder.config(catalog + "." + line.substring(0, equals), line.substring(equals + 1));
        }
        SparkSession spark = builder.getOrCreate();
        Masker.KeyedHash hash = new Masker.KeyedHash("plain-job-mask-key".getBytes(StandardCharsets.UTF_8));
        UDF1<String, String> hmac = text -> text == null ? null : hash.hex(text);
        // As the platform declares its mask: nondeterministic, so that Spark neither moves nor repeats it.
        spark.udf().register("mesh_mask_hash", org.apache.spark.sql.functions.udf(hmac, DataTypes.StringType)
                .asNondeterministic());
        warmUp(spark);
        reply("ready, Spark " + spark.version());
        for (String line = input.readLine(); line != null; line = input.readLine()) {
            if (!line.startsWith("job ")) {
                throw new IllegalArgumentException("unknown command: " + line);
            }
            JsonNode job = JSON.readTree(line.substring("job ".length()));
            long started = System.nanoTime();
            job.path("views").properties().forEach(view ->
                    spark.sql(view.getValue().asString()).createOrReplaceTempView(view.getKey()));
            spark.sql(job.path("query").asString())
                    .writeTo(SparkStreamingPeer.CATALOG + "." + job.path("target").asString()).overwrite(lit(true));
            reply("done " + (System.nanoTime() - started) / 1_000_000);
        }
        spark.stop();
    }

    /** What a run JVM does before its run: an Iceberg table on local disk written, grouped, joined and read. */
    private static void warmUp(SparkSession spark) throws Exception {
        Path folder = Files.createTempDirectory("plain-job-warmup");
        try {
            spark.conf().set("spark.sql.catalog.warmup", "org.apache.iceberg.spark.SparkCatalog");
            spark.conf().set("spark.sql.catalog.warmup.type", "hadoop");
            spark.conf().set("spark.sql.catalog.warmup.warehouse", folder.toUri().toString());
            spark.range(200).selectExpr("CAST(id AS INT) AS id", "CAST(id % 7 AS STRING) AS k",
                    "CAST(id AS DECIMAL(10,2)) AS amount", "current_timestamp() AS at")
                    .writeTo("warmup.db.t").using("iceberg").create();
            spark.sql("SELECT t.k, count(*) AS n, sum(t.amount) AS total, max(t.h) AS h FROM (SELECT id, k, amount, "
                    + "mesh_mask_hash(k) AS h FROM warmup.db.t) t JOIN warmup.db.t u ON t.id = u.id WHERE t.id > 3 "
                    + "GROUP BY t.k")
                    .writeTo("warmup.db.r").using("iceberg").create();
            spark.table("warmup.db.r").selectExpr("count(*)", "max(k)").collectAsList();
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // A scratch folder left in the temporary directory: harmless.
            }
        }
    }

    private static void reply(String text) {
        System.out.println(SparkStreamingPeer.REPLY + text);
        System.out.flush();
    }
}
