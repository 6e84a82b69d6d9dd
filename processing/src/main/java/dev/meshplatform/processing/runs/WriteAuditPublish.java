package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.RuleResult;
import dev.meshplatform.processing.api.RunControl;
import dev.meshplatform.processing.api.SqlRefusedException;
import dev.meshplatform.processing.api.TransformationOutcome;
import dev.meshplatform.processing.api.Transformations;
import dev.meshplatform.processing.sandbox.AnalyzedPlanCheck;
import dev.meshplatform.processing.runjvm.SparkTypes;
import dev.meshplatform.processing.sandbox.SandboxedSql;
import dev.meshplatform.processing.sandbox.SqlDescriptorCheck;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.Names;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.QualityRule;
import dev.meshplatform.registry.api.SchemaField;
import dev.meshplatform.registry.api.Transformation;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Runs a transformation as write–audit–publish: the result goes to a branch {@code run-<id>} of the output table,
 * the quality rules are evaluated on that branch, and main is fast-forwarded to it only when every blocking rule
 * passes. Consumers reading main never see unchecked data.
 */
public final class WriteAuditPublish implements Transformations {

    private static final Logger log = LoggerFactory.getLogger(WriteAuditPublish.class);
    static final String SPARK_CATALOG = "mesh";

    private final Supplier<SparkSession> spark;
    private final Catalog catalog;

    public WriteAuditPublish(Supplier<SparkSession> spark, Catalog catalog) {
        this.spark = spark;
        this.catalog = catalog;
    }

    static TableIdentifier outputTable(String domain, String product, int major) {
        return TableIdentifier.of(Namespace.of(domain.replace('-', '_')), product.replace('-', '_') + "_v" + major);
    }

    static TableIdentifier rawTable(String domain, String product, int major) {
        return TableIdentifier.of(Namespace.of(domain.replace('-', '_')), product.replace('-', '_') + "_raw_v" + major);
    }

    private static String sparkName(TableIdentifier id) {
        return SPARK_CATALOG + "." + id.namespace() + "." + id.name();
    }

    @Override
    public TransformationOutcome run(ProductVersionView version, String runId, RunControl control) {
        ProductDescriptor descriptor = version.descriptor();
        Transformation transformation = descriptor.transformation();
        if (transformation == null) {
            throw new SqlRefusedException("product " + version.domain() + "/" + version.product() + " "
                    + version.version() + " declares no transformation");
        }
        org.apache.spark.sql.classic.SparkSession session =
                (org.apache.spark.sql.classic.SparkSession) spark.get().newSession();
        SandboxedSql.FIXED_CONF.forEach((key, value) -> session.conf().set(key, value));
        Map<String, TableIdentifier> views = new java.util.LinkedHashMap<>();
        if (descriptor.kafkaInput().isPresent()) {
            views.put("raw", rawTable(version.domain(), version.product(), version.major()));
        }
        for (InputPort input : descriptor.productInputs()) {
            views.put(Names.inputView(input.domain(), input.product(), input.majorVersion()),
                    outputTable(input.domain(), input.product(), input.majorVersion()));
        }
        LogicalPlan checked = SandboxedSql.parse(session.sessionState().sqlParser(), session.sessionState().conf(),
                transformation.sql(), views.keySet());
        control.phase("reading", 0.1);
        long rowsRead = 0;
        long bytesRead = 0;
        for (Map.Entry<String, TableIdentifier> view : views.entrySet()) {
            if (!catalog.tableExists(view.getValue())) {
                throw new SqlRefusedException("the input '" + view.getKey() + "' (" + view.getValue()
                        + ") has no data yet");
            }
            // A SQL view, not a DataFrame's: Spark 4.1 cannot plan MERGE over a DataFrame's table reference.
            session.sql("CREATE OR REPLACE TEMPORARY VIEW `" + view.getKey() + "` AS SELECT * FROM "
                    + sparkName(view.getValue()));
            Table source = catalog.loadTable(view.getValue());
            rowsRead += Long.parseLong(currentSummary(source, "total-records"));
            bytesRead += Long.parseLong(currentSummary(source, "total-files-size"));
        }
        Dataset<Row> analyzed = analyze(session, checked, views.keySet());
        Dataset<Row> result = conform(analyzed, descriptor.schema());

        TableIdentifier output = outputTable(version.domain(), version.product(), version.major());
        Table table = ensureOutputTable(output, descriptor);
        String branch = "run_" + runId.replaceAll("[^A-Za-z0-9_]", "_");
        String target = sparkName(output) + ".`branch_" + branch + "`";
        if (table.currentSnapshot() == null) {
            // A branch starts from a snapshot: an empty one on main gives the first run something to branch from.
            table.newAppend().commit();
            table.refresh();
        }
        table.manageSnapshots().createBranch(branch, table.currentSnapshot().snapshotId()).commit();
        session.sparkContext().setJobGroup(runId, "mesh run " + runId, true);
        control.phase("writing", 0.3);
        try {
            write(session, result, target, transformation, table);
        } catch (RuntimeException e) {
            dropBranch(table, branch);
            throw e;
        }
        table.refresh();
        Snapshot staged = table.snapshot(branch);
        control.phase("auditing", 0.7);
        List<RuleResult> rules = audit(session, target, descriptor.quality());
        boolean publish = rules.stream().noneMatch(r -> r.blocking() && !r.passed()) && !control.cancelled();
        control.phase("publishing", 0.9);
        long rowsWritten = staged == null ? 0 : Long.parseLong(staged.summary().getOrDefault("total-records", "0"));
        long bytesWritten = staged == null ? 0 : Long.parseLong(staged.summary().getOrDefault("added-files-size", "0"));
        if (publish && staged != null) {
            table.manageSnapshots().fastForwardBranch("main", branch).commit();
            table.refresh();
            String tag = "v" + version.version();
            var tags = table.manageSnapshots();
            if (table.refs().containsKey(tag)) {
                tags.replaceTag(tag, staged.snapshotId());
            } else {
                tags.createTag(tag, staged.snapshotId());
            }
            tags.removeBranch(branch).commit();
            log.info("Run {} of {}/{} {} published snapshot {} ({} rows)", runId, version.domain(), version.product(),
                    version.version(), staged.snapshotId(), rowsWritten);
        } else {
            dropBranch(table, branch);
            log.info("Run {} of {}/{} {} not published: {}", runId, version.domain(), version.product(),
                    version.version(), rules.stream().filter(r -> r.blocking() && !r.passed())
                            .map(RuleResult::rule).collect(Collectors.joining(", ")));
        }
        return new TransformationOutcome(publish && staged != null, staged == null ? null : staged.snapshotId(),
                rowsRead, bytesRead, rowsWritten, bytesWritten, rules, output.toString());
    }

    /** Removes a run's staging branch, if it is there (a failed, refused or cancelled run). */
    public void dropBranch(String domain, String product, int major, String runId) {
        TableIdentifier output = outputTable(domain, product, major);
        if (catalog.tableExists(output)) {
            dropBranch(catalog.loadTable(output), "run_" + runId.replaceAll("[^A-Za-z0-9_]", "_"));
        }
    }

    private static void dropBranch(Table table, String branch) {
        table.refresh();
        if (table.refs().containsKey(branch)) {
            table.manageSnapshots().removeBranch(branch).commit();
        }
    }

    /**
     * Resolves the checked plan (the text is not parsed again) and checks the resolved plan. Spark reports unknown
     * columns, ambiguous names and type errors as AnalysisException, which Scala throws undeclared: the domain team
     * gets Spark's own words.
     */
    private static Dataset<Row> analyze(org.apache.spark.sql.classic.SparkSession session, LogicalPlan checked,
                                        Set<String> views) {
        Dataset<Row> analyzed;
        try {
            analyzed = org.apache.spark.sql.classic.Dataset$.MODULE$.ofRows(session, checked);
        } catch (Exception e) {
            if (e instanceof org.apache.spark.sql.AnalysisException) {
                throw new SqlRefusedException("the query cannot run: " + e.getMessage().lines()
                        .findFirst().orElse(e.getMessage()));
            }
            throw e;
        }
        AnalyzedPlanCheck.check(analyzed.queryExecution().analyzed(), views);
        return analyzed;
    }

    /** A quality rule's query: checked, resolved and checked again like a transformation, over the view output. */
    private static Dataset<Row> ruleQuery(org.apache.spark.sql.classic.SparkSession session, String sql) {
        Set<String> views = Set.of(SqlDescriptorCheck.OUTPUT_VIEW);
        LogicalPlan checked = SandboxedSql.parse(session.sessionState().sqlParser(), session.sessionState().conf(),
                sql, views);
        return analyze(session, checked, views);
    }

    private static String currentSummary(Table table, String key) {
        return table.currentSnapshot() == null ? "0" : table.currentSnapshot().summary().getOrDefault(key, "0");
    }

    /** The result with the contract's columns, in its order and types; a mismatch is refused in words. */
    static Dataset<Row> conform(Dataset<Row> result, List<SchemaField> contract) {
        StructType actual = result.schema();
        Map<String, StructField> byName = new java.util.HashMap<>();
        for (StructField field : actual.fields()) {
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
                problems.add("column '" + field.name() + "' is " + found.dataType().simpleString() + ", the contract "
                        + "says " + type.simpleString());
            } else {
                columns.add(col("`" + found.name() + "`").cast(type).as(field.name()));
            }
        }
        for (StructField field : actual.fields()) {
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

    private Table ensureOutputTable(TableIdentifier id, ProductDescriptor descriptor) {
        if (catalog.tableExists(id)) {
            return catalog.loadTable(id);
        }
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(id.namespace())) {
            namespaces.createNamespace(id.namespace());
        }
        org.apache.iceberg.Schema schema = SparkSchemaUtil.convert(SparkTypes.schema(descriptor.schema()));
        PartitionSpec.Builder spec = PartitionSpec.builderFor(schema);
        if (descriptor.outputPort() != null) {
            for (String transform : descriptor.outputPort().partitioning()) {
                Partitioning.apply(spec, transform);
            }
        }
        return catalog.buildTable(id, schema).withPartitionSpec(spec.build())
                .withProperty("format-version", "2").create();
    }

    private static void write(SparkSession session, Dataset<Row> result, String target, Transformation t,
                              Table table) {
        try {
            switch (t.effectiveMode()) {
                case APPEND -> result.writeTo(target).append();
                case OVERWRITE -> result.writeTo(target).overwrite(lit(true));
                case MERGE -> {
                    // An upsert on the keys: the rows whose keys the result has are replaced, the others kept.
                    // (Spark 4.1 cannot plan MERGE INTO with a DataFrame as its source.)
                    Column[] keys = t.mergeKeys().stream().map(k -> col("`" + k + "`")).toArray(Column[]::new);
                    Dataset<Row> kept = session.table(target).join(result.select(keys), scala.jdk.javaapi
                            .CollectionConverters.asScala(t.mergeKeys()).toSeq(), "left_anti");
                    kept.unionByName(result).writeTo(target).overwrite(lit(true));
                }
            }
        } catch (org.apache.spark.sql.AnalysisException e) {
            throw new SqlRefusedException("the transformation failed: " + e.getMessage());
        }
    }

    private static List<RuleResult> audit(org.apache.spark.sql.classic.SparkSession session, String staged,
                                          List<QualityRule> rules) {
        session.read().table(staged).createOrReplaceTempView("output");
        List<RuleResult> results = new ArrayList<>();
        for (QualityRule rule : rules) {
            results.add(evaluate(session, rule));
        }
        return results;
    }

    static RuleResult evaluate(org.apache.spark.sql.classic.SparkSession session, QualityRule rule) {
        String type = rule.type().name().toLowerCase(Locale.ROOT);
        try {
            double observed;
            boolean passed;
            String message;
            switch (rule.type()) {
                case NOT_NULL -> {
                    observed = count(session, "SELECT count(*) FROM output WHERE " + quote(rule.column()) + " IS NULL");
                    passed = observed == 0;
                    message = (long) observed + " rows have no " + rule.column();
                }
                case UNIQUE -> {
                    List<String> columns = rule.columns() != null ? rule.columns() : List.of(rule.column());
                    String cols = columns.stream().map(WriteAuditPublish::quote).collect(Collectors.joining(", "));
                    observed = count(session, "SELECT count(*) FROM (SELECT " + cols + " FROM output GROUP BY " + cols
                            + " HAVING count(*) > 1)");
                    passed = observed == 0;
                    message = (long) observed + " values of " + String.join(", ", columns) + " repeat";
                }
                case ACCEPTED_VALUES -> {
                    String values = rule.values().stream().map(WriteAuditPublish::literal)
                            .collect(Collectors.joining(", "));
                    observed = count(session, "SELECT count(*) FROM output WHERE " + quote(rule.column())
                            + " IS NOT NULL AND " + quote(rule.column()) + " NOT IN (" + values + ")");
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
                    observed = count(session, "SELECT count(*) FROM output WHERE " + String.join(" OR ", outside));
                    passed = observed == 0;
                    message = (long) observed + " rows have " + rule.column() + " out of range";
                }
                case ROW_COUNT -> {
                    observed = count(session, "SELECT count(*) FROM output");
                    passed = within(observed, rule.min(), rule.max());
                    message = (long) observed + " rows";
                }
                case SQL -> {
                    observed = count(session, rule.query());
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

    private static double count(org.apache.spark.sql.classic.SparkSession session, String sql) {
        Row row = ruleQuery(session, sql).first();
        Object value = row.get(0);
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
