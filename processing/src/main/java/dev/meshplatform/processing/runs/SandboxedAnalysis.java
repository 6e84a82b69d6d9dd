package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.SqlRefusedException;
import dev.meshplatform.registry.api.ColumnLineage;
import dev.meshplatform.registry.api.LineageAnalyzer.LineageInput;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The column lineage of a transformation, inside an analysis JVM: each input becomes an empty temporary view of its
 * declared schema in the query's session (no catalog, no data), the SQL is parsed and checked as a run would, the
 * checked plan is analyzed and checked again, and the analyzed plan is walked ({@link ColumnLineageWalk}).
 */
final class SandboxedAnalysis {

    /** The line that turns a started run JVM into an analysis JVM, which then serves {@link Request}s until closed. */
    static final String ANALYSES = "{\"analyses\":true}";

    /** One analysis: a transformation and its views. */
    record Request(String sql, List<LineageInput> inputs) {
    }

    private SandboxedAnalysis() {
    }

    static ColumnLineage lineage(org.apache.spark.sql.classic.SparkSession query, Request request) {
        Map<String, String> inputs = new LinkedHashMap<>();
        try {
            for (LineageInput input : request.inputs()) {
                Dataset<Row> empty = query.createDataFrame(List.<Row>of(), SparkTypes.schema(input.fields()));
                empty.createOrReplaceTempView(input.view());
                inputs.put(input.view(), input.input());
            }
            LogicalPlan checked = SandboxedSql.parse(query.sessionState().sqlParser(), query.sessionState().conf(),
                    request.sql(), inputs.keySet());
            LogicalPlan analyzed;
            try {
                analyzed = org.apache.spark.sql.classic.Dataset$.MODULE$.ofRows(query, checked).queryExecution()
                        .analyzed();
            } catch (Exception e) {
                if (e instanceof org.apache.spark.sql.AnalysisException) {
                    return ColumnLineage.unavailable("the transformation does not resolve against its inputs' "
                            + "declared schemas: " + e.getMessage().lines().findFirst().orElse(e.getMessage()));
                }
                throw e;
            }
            AnalyzedPlanCheck.check(analyzed, inputs.keySet());
            return ColumnLineageWalk.of(analyzed, inputs);
        } catch (SqlRefusedException e) {
            return ColumnLineage.unavailable("the sandbox refused the transformation: " + e.getMessage());
        } finally {
            inputs.keySet().forEach(view -> query.catalog().dropTempView(view));
        }
    }
}
