package dev.meshplatform.app.bench;

import ch.qos.logback.classic.Level;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.from_json;

/**
 * {@link LandingBenchmark}'s peer: Spark Structured Streaming landing a Kafka topic into an Iceberg table, in a JVM
 * of its own (one JVM holds one SparkContext, and the platform's JVM may hold one). Kafka source
 * ({@code spark-sql-kafka-0-10}), {@code from_json} with the product's fields as the target table has them, the
 * ingestion columns the platform adds, and Iceberg's Spark streaming sink; {@code local[2]}, one micro-batch per
 * trigger interval of at most {@code maxOffsetsPerTrigger} events.
 *
 * <p>Arguments: Kafka bootstrap servers, a folder for the queries' checkpoints, {@code maxOffsetsPerTrigger}, the
 * trigger interval in milliseconds. Standard input: the platform's catalog properties as {@code key=value} lines (they
 * hold credentials: never on a command line), an empty line, then one command per line. Answers go to standard output
 * on lines that start with {@value #REPLY}: {@code ready} once the Spark session is up, then one per command:
 * <ul>
 *   <li>{@code land <topic> <namespace.table> <startingOffsets>}: starts a query from the topic into the table (the
 *   table exists; {@code startingOffsets} as Spark's Kafka source takes it, JSON or {@code earliest}); answered
 *   {@code running} once the query has finished its first trigger.</li>
 *   <li>{@code stop}: stops the query; answered {@code stopped}.</li>
 * </ul>
 * A query that fails ends the JVM with status 1; the end of standard input stops the query and ends it with 0.
 */
public final class SparkStreamingPeer {

    /** The start of every line of this JVM's output that answers a command; everything else is log. */
    static final String REPLY = "peer> ";
    /** The Spark name of the platform's Iceberg catalog in this JVM. */
    static final String CATALOG = "mesh";

    private final SparkSession spark;
    private final String bootstrapServers;
    private final Path checkpoints;
    private final long maxOffsetsPerTrigger;
    private final long triggerMillis;
    private volatile String queryName = "";
    private volatile CountDownLatch firstTrigger = new CountDownLatch(1);
    private StreamingQuery query;
    private int queries;

    private SparkStreamingPeer(SparkSession spark, String bootstrapServers, Path checkpoints, long maxOffsetsPerTrigger,
                               long triggerMillis) {
        this.spark = spark;
        this.bootstrapServers = bootstrapServers;
        this.checkpoints = checkpoints;
        this.maxOffsetsPerTrigger = maxOffsetsPerTrigger;
        this.triggerMillis = triggerMillis;
    }

    public static void main(String[] args) throws Exception {
        // No logback configuration on the test class path: its default logs everything at DEBUG.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.WARN);
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        SparkSession.Builder builder = SparkSession.builder()
                .appName("landing-peer")
                .master("local[2]")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.session.timeZone", "UTC")
                // Iceberg's write distribution shuffles each batch, and streaming turns off the adaptive execution
                // that would coalesce Spark's 200 default shuffle partitions: one per core instead.
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.catalog." + CATALOG, "org.apache.iceberg.spark.SparkCatalog");
        for (String line = input.readLine(); line != null && !line.isEmpty(); line = input.readLine()) {
            int equals = line.indexOf('=');
            builder.config("spark.sql.catalog." + CATALOG + "." + line.substring(0, equals), line.substring(equals + 1));
        }
        SparkSession spark = builder.getOrCreate();
        SparkStreamingPeer peer = new SparkStreamingPeer(spark, args[0], Path.of(args[1]), Long.parseLong(args[2]),
                Long.parseLong(args[3]));
        spark.streams().addListener(peer.new Progress());
        reply("ready, Spark " + spark.version());
        for (String line = input.readLine(); line != null; line = input.readLine()) {
            String[] command = line.split(" ");
            switch (command[0]) {
                case "land" -> {
                    peer.land(command[1], command[2], command[3]);
                    reply("running");
                }
                case "stop" -> {
                    peer.stop();
                    reply("stopped");
                }
                default -> throw new IllegalArgumentException("unknown command: " + line);
            }
        }
        peer.stop();
        spark.stop();
    }

    private static void reply(String text) {
        System.out.println(REPLY + text);
        System.out.flush();
    }

    private void land(String topic, String table, String startingOffsets) throws Exception {
        stop();
        String target = CATALOG + "." + table;
        // The product's fields, as the table has them; the ingestion columns start with '_'.
        StructType product = new StructType(Arrays.stream(spark.table(target).schema().fields())
                .filter(field -> !field.name().startsWith("_")).toArray(StructField[]::new));
        Dataset<Row> records = spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", bootstrapServers)
                .option("subscribe", topic)
                .option("startingOffsets", startingOffsets)
                .option("maxOffsetsPerTrigger", maxOffsetsPerTrigger)
                .load();
        List<Column> columns = new ArrayList<>();
        for (String field : product.fieldNames()) {
            columns.add(col("event." + field).as(field));
        }
        // The platform's ingestion columns: where the event came from, and when it was read.
        columns.add(col("partition").as("_source_partition"));
        columns.add(col("offset").as("_source_offset"));
        columns.add(col("timestamp").as("_kafka_timestamp"));
        columns.add(current_timestamp().as("_ingested_at"));
        Dataset<Row> rows = records
                .select(from_json(col("value").cast("string"), product).as("event"), col("partition"),
                        col("offset"), col("timestamp"))
                .select(columns.toArray(Column[]::new));
        firstTrigger = new CountDownLatch(1);
        queryName = "landing-" + ++queries;
        query = rows.writeStream()
                .queryName(queryName)
                .format("iceberg")
                .outputMode("append")
                .trigger(Trigger.ProcessingTime(triggerMillis, TimeUnit.MILLISECONDS))
                .option("checkpointLocation", checkpoints.resolve(queryName).toString())
                // Iceberg's advice for streaming into a partitioned table: a file writer per partition, no sort.
                .option("fanout-enabled", "true")
                // Spark's Kafka source declares partition and offset nullable, though it never leaves them null.
                .option("check-nullability", "false")
                .toTable(target);
        if (!firstTrigger.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the query into " + target + " did not finish a trigger in 5 minutes");
        }
    }

    private void stop() throws Exception {
        if (query != null) {
            query.stop();
            query = null;
        }
    }

    /** Counts the query's first trigger, and ends the JVM when a query fails: nobody would wait for it otherwise. */
    private final class Progress extends StreamingQueryListener {

        @Override
        public void onQueryStarted(QueryStartedEvent event) {
        }

        @Override
        public void onQueryProgress(QueryProgressEvent event) {
            StreamingQueryProgress progress = event.progress();
            // One line per micro-batch in the log: where a batch's time goes (Spark's own phases, in ms).
            if (progress.numInputRows() > 0) {
                System.out.println("batch " + progress.name() + "#" + progress.batchId() + ": "
                        + progress.numInputRows() + " events, " + progress.durationMs());
            }
            // A stopped query's last event may arrive after the next query started.
            if (queryName.equals(progress.name())) {
                firstTrigger.countDown();
            }
        }

        @Override
        public void onQueryIdle(QueryIdleEvent event) {
        }

        @Override
        public void onQueryTerminated(QueryTerminatedEvent event) {
            if (event.exception().isDefined()) {
                reply("failed " + event.exception().get());
                System.exit(1);
            }
        }
    }
}
