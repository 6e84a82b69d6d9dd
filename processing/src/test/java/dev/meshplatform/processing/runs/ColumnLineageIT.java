package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.ProcessingProperties;
import dev.meshplatform.registry.api.ColumnLineage;
import dev.meshplatform.registry.api.ColumnLineage.Source;
import dev.meshplatform.registry.api.LineageAnalyzer.LineageInput;
import dev.meshplatform.registry.api.SchemaField;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Column lineage from analyzed plans over empty views of declared schemas: joins, aggregates, renames, CASE,
 * unions, CTEs, subqueries, generators and windows resolve to the inputs' columns, and counts carry no values.
 */
class ColumnLineageIT {

    private static final String ORDERS = "sales/orders/v1";
    private static final String CUSTOMERS = "crm/customers/v2";
    private static final List<LineageInput> INPUTS = List.of(
            new LineageInput("sales__orders_v1", ORDERS, List.of(field("order_id", "long"),
                    field("customer_id", "long"), field("amount", "decimal(10,2)"), field("status", "string"),
                    new SchemaField("items", "list", null, null, null, null, null, field(null, "string")))),
            new LineageInput("crm__customers_v2", CUSTOMERS, List.of(field("customer_id", "long"),
                    field("email", "string"), field("name", "string"), field("country", "string"))));

    private static org.apache.spark.sql.classic.SparkSession query;

    @BeforeAll
    static void start() {
        SparkSession spark = SparkSession.builder().master("local[1]").appName("column-lineage")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        query = SandboxedRun.querySession(spark);
    }

    @AfterAll
    static void stop() {
        query.sparkContext().stop();
    }

    @Test
    void aJoinAnAggregateARenameAndACaseExpression() {
        ColumnLineage lineage = lineage("""
                SELECT c.name AS customer,
                       sum(o.amount) AS revenue,
                       count(o.order_id) AS orders,
                       CASE WHEN c.country IN ('DE', 'AT') THEN 'dach' ELSE 'other' END AS region
                FROM sales__orders_v1 o JOIN crm__customers_v2 c ON o.customer_id = c.customer_id
                WHERE o.status = 'paid'
                GROUP BY c.name, c.country""");
        assertThat(lineage.computed()).isTrue();
        assertThat(sources(lineage)).containsExactly(
                Map.entry("customer", List.of(CUSTOMERS + ".name DIRECT")),
                Map.entry("orders", List.of(ORDERS + ".order_id COUNTED")),
                Map.entry("region", List.of(CUSTOMERS + ".country TRANSFORMED")),
                Map.entry("revenue", List.of(ORDERS + ".amount AGGREGATED")));
        // The filter and the join keys are read, though no output column carries them.
        assertThat(lineage.reads(ORDERS, "status")).isTrue();
        assertThat(lineage.reads(ORDERS, "customer_id")).isTrue();
        assertThat(lineage.reads(CUSTOMERS, "customer_id")).isTrue();
        assertThat(lineage.reads(CUSTOMERS, "email")).isFalse();
    }

    @Test
    void aCountOfAnExpressionCarriesValues() {
        ColumnLineage lineage = lineage("SELECT customer_id, count(CASE WHEN email LIKE 'a%' THEN 1 END) AS a, "
                + "count(DISTINCT email) AS emails, count(*) AS n FROM crm__customers_v2 GROUP BY customer_id");
        assertThat(sources(lineage)).containsEntry("a", List.of(CUSTOMERS + ".email AGGREGATED"))
                .containsEntry("emails", List.of(CUSTOMERS + ".email COUNTED"))
                .containsEntry("n", List.of());
    }

    @Test
    void unionsCtesSubqueriesGeneratorsAndWindows() {
        ColumnLineage lineage = lineage("""
                WITH paid AS (SELECT customer_id AS who, amount FROM sales__orders_v1 WHERE status = 'paid'),
                     mails AS (SELECT customer_id AS who, email AS contact FROM crm__customers_v2)
                SELECT m.contact,
                       (SELECT max(name) FROM crm__customers_v2 c WHERE c.customer_id = m.who) AS best_name,
                       rank() OVER (PARTITION BY m.who ORDER BY p.amount) AS position
                FROM paid p JOIN mails m ON p.who = m.who
                UNION ALL
                SELECT item, c.name, 0 FROM sales__orders_v1 o JOIN crm__customers_v2 c ON o.customer_id = c.customer_id
                LATERAL VIEW explode(o.items) t AS item""");
        assertThat(lineage.reason()).isNull();
        assertThat(lineage.computed()).isTrue();
        assertThat(sources(lineage)).containsEntry("contact",
                        List.of(CUSTOMERS + ".email DIRECT", ORDERS + ".items TRANSFORMED"))
                // max(name) in one branch, name itself in the other: the way that carries more wins; the subquery's
                // correlation picks the row, so it counts too.
                .containsEntry("best_name", List.of(CUSTOMERS + ".customer_id TRANSFORMED", CUSTOMERS + ".name DIRECT"))
                .containsKey("position");
        assertThat(sources(lineage).get("position")).contains(ORDERS + ".amount TRANSFORMED");
    }

    @Test
    void whatDoesNotResolveOrIsRefusedIsUnavailableWithTheReason() {
        ColumnLineage unknown = lineage("SELECT no_such_column FROM sales__orders_v1");
        assertThat(unknown.status()).isEqualTo(ColumnLineage.Status.UNAVAILABLE);
        assertThat(unknown.reason()).contains("no_such_column");
        ColumnLineage refused = lineage("SELECT reflect('java.lang.System', 'exit', '1')");
        assertThat(refused.status()).isEqualTo(ColumnLineage.Status.UNAVAILABLE);
        assertThat(refused.reason()).contains("refused");
        // The views are gone after each analysis: nothing of one domain's is left for the next.
        assertThat(query.catalog().tableExists("sales__orders_v1")).isFalse();
    }

    @Test
    void theAnalysisJvmAnswersManyAnalysesAndIsNotThePlatformsJvm() {
        ProcessingProperties properties = new ProcessingProperties("local[1]", 1, null, 1, 1, 1, 1, "512m", 0,
                List.of("-XX:TieredStopAtLevel=1"), false, null, null, null, null, null, null, null, null, null, null);
        try (LineageSandbox sandbox = new LineageSandbox(() -> RunJvms.startForAnalyses(properties))) {
            ColumnLineage first = sandbox.analyze("SELECT email AS contact FROM crm__customers_v2", INPUTS);
            assertThat(sources(first)).containsExactly(Map.entry("contact", List.of(CUSTOMERS + ".email DIRECT")));
            ColumnLineage second = sandbox.analyze("SELECT missing FROM crm__customers_v2", INPUTS);
            assertThat(second.reason()).contains("missing");
        }
    }

    private static ColumnLineage lineage(String sql) {
        return SandboxedAnalysis.lineage(query, new SandboxedAnalysis.Request(sql, INPUTS));
    }

    private static Map<String, List<String>> sources(ColumnLineage lineage) {
        Map<String, List<String>> byColumn = new TreeMap<>();
        for (ColumnLineage.OutputColumn column : lineage.columns()) {
            byColumn.put(column.name(), column.from().stream().map(ColumnLineageIT::text).sorted()
                    .collect(Collectors.toList()));
        }
        return byColumn;
    }

    private static String text(Source source) {
        return source.input() + "." + source.column() + " " + source.how();
    }

    private static SchemaField field(String name, String type) {
        return new SchemaField(name, type, null, null, null, null, null, null);
    }
}
