package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.RuleResult;
import dev.meshplatform.processing.api.SqlRefusedException;
import dev.meshplatform.registry.api.QualityRule;
import dev.meshplatform.registry.api.SchemaField;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.SparkSqlParser;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * One run inside a run JVM. Two Spark sessions share the JVM's SparkContext: the platform's, which has the Iceberg
 * catalog and reads and writes tables, and the query's, which has no catalog, no tables and no file access. Platform
 * code reads every input (governed: the grant's columns and rows, masks applied) and hands it to the query's
 * session as a temporary view; the query's SQL is parsed once, checked, executed as checked and checked again after
 * analysis; platform code writes the result to the staging branch; quality rules run in the query's session too.
 */
final class SandboxedRun {

    static final String CATALOG = "mesh";

    private final org.apache.spark.sql.classic.SparkSession platform;
    private final org.apache.spark.sql.classic.SparkSession query;
    private final RunSpec spec;
    private final Consumer<RunEvent> events;

    SandboxedRun(Sessions sessions, RunSpec spec, Consumer<RunEvent> events) {
        this.spec = spec;
        this.events = events;
        this.platform = sessions.platform();
        this.query = sessions.query();
    }

    /**
     * The run's two sessions: the platform's, with the Iceberg catalog, and the query's, with none. Both are made
     * (and warmed up) before the run is known.
     */
    record Sessions(org.apache.spark.sql.classic.SparkSession platform,
                    org.apache.spark.sql.classic.SparkSession query) {
    }

    /**
     * The platform's session: the Iceberg catalog {@value #CATALOG}, registered in this session only. Close its
     * catalog with {@link SessionCatalogs#close} when done: it holds JDBC connections and an S3FileIO.
     */
    static org.apache.spark.sql.classic.SparkSession platformSession(SparkSession spark, Map<String, String> catalog) {
        org.apache.spark.sql.classic.SparkSession session =
                (org.apache.spark.sql.classic.SparkSession) spark.newSession();
        String prefix = "spark.sql.catalog." + CATALOG;
        session.conf().set(prefix, "org.apache.iceberg.spark.SparkCatalog");
        catalog.forEach((key, value) -> session.conf().set(prefix + "." + key, value));
        // Without Iceberg's table cache the Spark catalog is the JDBC catalog itself, which can be closed; a run
        // resolves each table a few times only, and always sees the catalog's current state.
        session.conf().set(prefix + "." + CatalogProperties.CACHE_ENABLED, "false");
        return session;
    }

    /**
     * A session with no catalog of the platform's and the sandbox's fixed SQL configuration. Catalogs set on the
     * SparkContext (as the platform's own JVM has its catalog) are unset in it too.
     */
    static org.apache.spark.sql.classic.SparkSession querySession(SparkSession spark) {
        org.apache.spark.sql.classic.SparkSession session =
                (org.apache.spark.sql.classic.SparkSession) spark.newSession();
        scala.jdk.javaapi.CollectionConverters.asJava(session.conf().getAll()).keySet().stream()
                .filter(key -> key.startsWith("spark.sql.catalog.") && !key.startsWith("spark.sql.catalog.spark_catalog"))
                .forEach(key -> session.conf().unset(key));
        SandboxedSql.FIXED_CONF.forEach((key, value) -> session.conf().set(key, value));
        if (session.sessionState().sqlParser().getClass() != SparkSqlParser.class) {
            // Apply time parses with Spark's own parser: the run must parse the same way, or the checks differ.
            throw new IllegalStateException("the run's session parses with "
                    + session.sessionState().sqlParser().getClass().getName() + ", not Spark's SQL parser; remove "
                    + "spark.sql.extensions from the run's Spark settings");
        }
        return session;
    }

    /**
     * Starts the run JVM's Spark and warms it up before the run is known: the catalog connected, a query parsed,
     * checked and run, an Iceberg table written and read on local disk. The run itself then starts warm.
     */
    static Sessions start(RunJvmBoot boot) {
        SparkSession spark = startSpark(boot);
        org.apache.spark.sql.classic.SparkSession platform = platformSession(spark, boot.catalog());
        if (!boot.catalog().isEmpty()) {
            // Connects to the catalog now; the catalog manager reads the active session's configuration.
            org.apache.spark.sql.internal.SQLConf.withExistingConf(platform.sessionState().conf(),
                    () -> platform.sessionState().catalogManager().catalog(CATALOG));
        }
        if (boot.master().startsWith("local")) {
            // On a cluster, scratch jobs would write to executors' local disks and cost cluster time.
            WarmUp.run(spark);
        }
        return new Sessions(platform, querySession(spark));
    }

    private static SparkSession startSpark(RunJvmBoot boot) {
        SparkSession.Builder builder = SparkSession.builder()
                .appName("mesh-run")
                .master(boot.master())
                .config("spark.ui.enabled", "false")
                .config("spark.sql.defaultUrlStreamHandlerFactory.enabled", "false")
                .config("spark.sql.catalogImplementation", "in-memory")
                .config("spark.sql.shuffle.partitions", String.valueOf(boot.shufflePartitions()))
                .config("spark.sql.session.timeZone", "UTC");
        if (boot.master().startsWith("local")) {
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        } else {
            builder.config("spark.cores.max", String.valueOf(boot.taskSlots()));
        }
        boot.sparkConf().forEach((key, value) -> {
            if (!key.equals("spark.sql.extensions")) {
                builder.config(key, value);
            }
        });
        return builder.getOrCreate();
    }

    /** Runs the transformation and the quality rules; the result is on the staging branch when this returns. */
    RunEvent execute() {
        events.accept(RunEvent.phase("reading", 0.1));
        Set<String> viewNames = new LinkedHashSet<>();
        for (RunSpec.View view : spec.views()) {
            Dataset<Row> read = GovernedView.read(platform, view, spec.maskHashKey());
            viewOf(read, view.name());
            viewNames.add(view.name());
        }
        events.accept(RunEvent.phase("transforming", 0.2));
        Dataset<Row> result = conform(query(spec.sql(), viewNames), spec.contract());

        events.accept(RunEvent.phase("writing", 0.3));
        String target = spec.output().sparkName(CATALOG) + ".`branch_" + spec.branch() + "`";
        write(asPlatform(result), target);

        events.accept(RunEvent.phase("auditing", 0.7));
        viewOf(platform.table(target), SqlDescriptorCheck.OUTPUT_VIEW);
        // The table's metadata is loaded only for the rules it may answer.
        StagedMetadata staged = spec.quality().stream().anyMatch(rule -> rule.type() == QualityRule.Type.NOT_NULL
                || rule.type() == QualityRule.Type.ROW_COUNT)
                ? StagedMetadata.of(icebergTable(spec.output().sparkName(CATALOG)), spec.branch()) : null;
        List<RuleResult> rules = new ArrayList<>();
        for (QualityRule rule : spec.quality()) {
            rules.add(evaluate(rule, staged));
        }
        return RunEvent.staged(true, rules);
    }

    /** Hands a DataFrame platform code read to the query's session, as a temporary view. */
    private void viewOf(Dataset<Row> data, String name) {
        org.apache.spark.sql.classic.Dataset$.MODULE$.ofRows(query, data.queryExecution().analyzed())
                .createOrReplaceTempView(name);
    }

    private Dataset<Row> asPlatform(Dataset<Row> result) {
        return org.apache.spark.sql.classic.Dataset$.MODULE$.ofRows(platform, result.queryExecution().analyzed());
    }

    /**
     * A query of the domain's: parsed once by the query session's parser under the fixed configuration, checked,
     * resolved from that very plan (the text is never parsed again) and checked again after analysis. Spark reports
     * unknown columns and type errors as AnalysisException, which Scala throws undeclared: the team gets Spark's words.
     */
    Dataset<Row> query(String sql, Set<String> views) {
        LogicalPlan checked = SandboxedSql.parse(query.sessionState().sqlParser(), query.sessionState().conf(), sql,
                views);
        Dataset<Row> analyzed;
        try {
            analyzed = org.apache.spark.sql.classic.Dataset$.MODULE$.ofRows(query, checked);
        } catch (Exception e) {
            if (e instanceof org.apache.spark.sql.AnalysisException) {
                throw new SqlRefusedException("the query cannot run: " + e.getMessage().lines().findFirst()
                        .orElse(e.getMessage()));
            }
            throw e;
        }
        AnalyzedPlanCheck.check(analyzed.queryExecution().analyzed(), views);
        return analyzed;
    }

    /** The result with the contract's columns, in its order and types; a mismatch is refused in words. */
    static Dataset<Row> conform(Dataset<Row> result, List<SchemaField> contract) {
        Map<String, StructField> byName = new HashMap<>();
        for (StructField field : result.schema().fields()) {
            byName.put(field.name().toLowerCase(Locale.ROOT), field);
        }
        List<String> problems = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (SchemaField field : contract) {
            String name = field.name().toLowerCase(Locale.ROOT);
            expected.add(name);
            StructField found = byName.get(name);
            DataType type = SparkTypes.type(field);
            if (found == null) {
                problems.add("column '" + field.name() + "' is missing");
            } else if (!found.dataType().sameType(type) && !Cast.canUpCast(found.dataType(), type)) {
                problems.add("column '" + field.name() + "' is " + found.dataType().simpleString()
                        + ", the contract says " + type.simpleString());
            } else {
                columns.add(col("`" + found.name() + "`").cast(type).as(field.name()));
            }
        }
        for (StructField field : result.schema().fields()) {
            if (!expected.contains(field.name().toLowerCase(Locale.ROOT))) {
                problems.add("column '" + field.name() + "' is not in the contract");
            }
        }
        if (!problems.isEmpty()) {
            throw new SqlRefusedException("the result does not match the product's schema: "
                    + String.join("; ", problems));
        }
        return result.select(columns.toArray(Column[]::new));
    }

    private void write(Dataset<Row> result, String target) {
        try {
            switch (spec.mode()) {
                case "APPEND" -> result.writeTo(target).append();
                case "MERGE" -> {
                    // An upsert on the keys: rows whose keys the result has are replaced, the others kept.
                    // (Spark 4.1 cannot plan MERGE INTO with a DataFrame as its source.)
                    Column[] keys = spec.mergeKeys().stream().map(k -> col("`" + k + "`")).toArray(Column[]::new);
                    Dataset<Row> kept = platform.table(target).join(result.select(keys),
                            scala.jdk.javaapi.CollectionConverters.asScala(spec.mergeKeys()).toSeq(), "left_anti");
                    kept.unionByName(result).writeTo(target).overwrite(lit(true));
                }
                default -> result.writeTo(target).overwrite(lit(true));
            }
        } catch (Exception e) {
            if (e instanceof org.apache.spark.sql.AnalysisException) {
                throw new SqlRefusedException("the transformation failed: " + e.getMessage().lines().findFirst()
                        .orElse(e.getMessage()));
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("writing the result failed: " + e.getMessage(), e);
        }
    }

    private Table icebergTable(String name) {
        try {
            return Spark3Util.loadIcebergTable(platform, name);
        } catch (ParseException | NoSuchTableException e) {
            throw new IllegalStateException("the output table " + name + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    /**
     * A rule's result. Row counts and a top-level column's nulls come from the staged snapshot's metadata where it
     * says them exactly: a scan of a large output for each such rule would cost as much as writing it. {@code staged}
     * is set whenever a rule of those types is evaluated.
     */
    RuleResult evaluate(QualityRule rule, StagedMetadata staged) {
        String type = rule.type().name().toLowerCase(Locale.ROOT);
        try {
            double observed;
            boolean passed;
            String message;
            switch (rule.type()) {
                case NOT_NULL -> {
                    OptionalLong nulls = staged.nulls(rule.column());
                    observed = nulls.isPresent() ? nulls.getAsLong()
                            : count("SELECT count(*) FROM output WHERE " + quote(rule.column()) + " IS NULL");
                    passed = observed == 0;
                    message = (long) observed + " rows have no " + rule.column();
                }
                case UNIQUE -> {
                    List<String> columns = rule.columns() != null ? rule.columns() : List.of(rule.column());
                    String cols = columns.stream().map(SandboxedRun::quote).collect(Collectors.joining(", "));
                    observed = count("SELECT count(*) FROM (SELECT " + cols + " FROM output GROUP BY " + cols
                            + " HAVING count(*) > 1)");
                    passed = observed == 0;
                    message = (long) observed + " values of " + String.join(", ", columns) + " repeat";
                }
                case ACCEPTED_VALUES -> {
                    String values = rule.values().stream().map(SandboxedRun::literal).collect(Collectors.joining(", "));
                    observed = count("SELECT count(*) FROM output WHERE " + quote(rule.column()) + " IS NOT NULL AND "
                            + quote(rule.column()) + " NOT IN (" + values + ")");
                    passed = observed == 0;
                    message = (long) observed + " rows have a " + rule.column() + " outside " + rule.values();
                }
                case RANGE -> {
                    List<String> outside = new ArrayList<>();
                    if (rule.min() != null) {
                        outside.add(quote(rule.column()) + " < " + rule.min().toPlainString());
                    }
                    if (rule.max() != null) {
                        outside.add(quote(rule.column()) + " > " + rule.max().toPlainString());
                    }
                    observed = count("SELECT count(*) FROM output WHERE " + String.join(" OR ", outside));
                    passed = observed == 0;
                    message = (long) observed + " rows have " + rule.column() + " out of range";
                }
                case ROW_COUNT -> {
                    OptionalLong rows = staged.rows();
                    observed = rows.isPresent() ? rows.getAsLong() : count("SELECT count(*) FROM output");
                    passed = within(observed, rule.min(), rule.max());
                    message = (long) observed + " rows";
                }
                case SQL -> {
                    observed = count(rule.query());
                    passed = within(observed, rule.min(), rule.max());
                    message = "the query returned " + observed;
                }
                default -> throw new IllegalStateException("unknown rule type " + rule.type());
            }
            return new RuleResult(rule.name(), type, rule.blocking(), passed, observed, message);
        } catch (SqlRefusedException e) {
            return new RuleResult(rule.name(), type, rule.blocking(), false, Double.NaN, e.getMessage());
        }
    }

    /** A rule's number: its query runs in the query's session like a transformation, over the view output only. */
    private double count(String sql) {
        Row row = query(sql, Set.of(SqlDescriptorCheck.OUTPUT_VIEW)).first();
        Object value = row.get(0);
        if (value != null && !(value instanceof Number)) {
            throw new SqlRefusedException("the rule's query returned " + value.getClass().getSimpleName()
                    + ", not a number");
        }
        return value == null ? 0 : ((Number) value).doubleValue();
    }

    private static boolean within(double value, BigDecimal min, BigDecimal max) {
        return (min == null || value >= min.doubleValue()) && (max == null || value <= max.doubleValue());
    }

    private static String quote(String column) {
        return java.util.Arrays.stream(column.split("\\.")).map(p -> "`" + p.replace("`", "``") + "`")
                .collect(Collectors.joining("."));
    }

    private static String literal(Object value) {
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return "'" + value.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
