package dev.meshplatform.processing.runs;

import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.lit;

/**
 * Work a run JVM does before its run is known, so that the run's own time goes to its data: the sandbox's parse and
 * checks, Spark's code generation, and Iceberg's write path through a branch, on a scratch table in a temporary
 * folder (never the platform's catalog or bucket). Its sessions are thrown away.
 */
final class WarmUp {

    private WarmUp() {
    }

    static void run(SparkSession spark) {
        try {
            exercise(spark);
        } catch (Exception e) {
            // Spark declares checked exceptions it never throws here; a warm-up that fails only costs the run time.
            throw new IllegalStateException("the run JVM's warm-up failed: " + e.getMessage(), e);
        }
    }

    private static void exercise(SparkSession spark) throws Exception {
        org.apache.spark.sql.classic.SparkSession query = SandboxedRun.querySession(spark);
        org.apache.spark.sql.classic.SparkSession scratch =
                (org.apache.spark.sql.classic.SparkSession) spark.newSession();
        Path folder;
        try {
            folder = Files.createTempDirectory("mesh-run-warmup");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            String catalog = "spark.sql.catalog.warmup";
            scratch.conf().set(catalog, "org.apache.iceberg.spark.SparkCatalog");
            scratch.conf().set(catalog + ".type", "hadoop");
            scratch.conf().set(catalog + ".warehouse", folder.toUri().toString());
            Dataset<Row> rows = scratch.range(200).selectExpr("CAST(id AS INT) AS id", "CAST(id % 7 AS STRING) AS k",
                    "CAST(id AS DECIMAL(10,2)) AS amount", "current_timestamp() AS at");
            rows.writeTo("warmup.db.t").using("iceberg").create();
            Table table = Spark3Util.loadIcebergTable(scratch, "warmup.db.t");
            table.manageSnapshots().createBranch("run_warmup", table.currentSnapshot().snapshotId()).commit();
            org.apache.spark.sql.classic.Dataset$.MODULE$.ofRows(query, scratch.table("warmup.db.t")
                    .queryExecution().analyzed()).createOrReplaceTempView("raw");
            LogicalPlan plan = SandboxedSql.parse(query.sessionState().sqlParser(), query.sessionState().conf(),
                    "SELECT k, count(*) AS n, sum(amount) AS total FROM raw WHERE id > 3 GROUP BY k", Set.of("raw"));
            Dataset<Row> result = org.apache.spark.sql.classic.Dataset$.MODULE$.ofRows(query, plan);
            AnalyzedPlanCheck.check(result.queryExecution().analyzed(), Set.of("raw"));
            org.apache.spark.sql.classic.Dataset$.MODULE$.ofRows(scratch, rows.queryExecution().analyzed())
                    .writeTo("warmup.db.t.`branch_run_warmup`").overwrite(lit(true));
            result.collectAsList();
            scratch.table("warmup.db.t.`branch_run_warmup`").selectExpr("count(*)", "max(k)").collectAsList();
        } finally {
            SessionCatalogs.close(scratch);
            delete(folder);
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A scratch folder left in the temporary directory: harmless.
        }
    }
}
