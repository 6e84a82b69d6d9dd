package dev.meshplatform.processing.sandbox;

import dev.meshplatform.processing.api.SqlRefusedException;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith;
import scala.Tuple3;
import scala.jdk.javaapi.CollectionConverters;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a product's transformation before it runs: it must be one query that reads only the views it is given
 * ({@code raw} and its declared input products) and its own common table expressions. Reading files by path
 * ({@code parquet.`s3a://…`}), other catalogs or tables, table functions, and functions that reach into the JVM
 * ({@code reflect}, {@code java_method}) are refused with a clear message, so that a domain's SQL cannot reach
 * another domain's storage or the platform's secrets.
 */
public final class SqlSandbox {

    /** Functions that call arbitrary Java methods or expose the platform's environment. */
    static final Set<String> REFUSED_FUNCTIONS = Set.of("reflect", "java_method", "try_reflect", "input_file_name",
            "input_file_block_start", "input_file_block_length", "current_catalog", "current_database",
            "current_schema", "current_user", "user", "session_user", "spark_partition_id", "assert_true",
            "raise_error");

    /** Table functions that only generate rows. */
    static final Set<String> ALLOWED_TABLE_FUNCTIONS = Set.of("range", "explode", "explode_outer", "inline",
            "inline_outer", "posexplode", "posexplode_outer", "stack", "json_tuple");

    private SqlSandbox() {
    }

    /**
     * Parses and checks the SQL.
     *
     * @param views the views the query may read (case-insensitive), e.g. {@code raw}, {@code sales__customers_v1}
     * @return the parsed plan
     * @throws SqlRefusedException with the first reason it is refused
     */
    public static LogicalPlan check(String sql, Set<String> views) {
        LogicalPlan plan;
        try {
            plan = CatalystSqlParser$.MODULE$.parsePlan(sql);
        } catch (Exception e) {
            // Scala declares no checked exceptions: the parser's ParseException arrives undeclared.
            if (!(e instanceof ParseException)) {
                throw e;
            }
            throw new SqlRefusedException("the transformation is not valid SQL: " + e.getMessage().lines()
                    .findFirst().orElse(e.getMessage()));
        }
        Set<String> allowed = views.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        walk(plan, allowed, new HashSet<>(allowed), true);
        return plan;
    }

    private static void walk(LogicalPlan plan, Set<String> views, Set<String> readable, boolean top) {
        if (plan instanceof Command || plan instanceof InsertIntoStatement) {
            throw new SqlRefusedException("the transformation must be one query (SELECT …); "
                    + plan.nodeName() + " is not allowed");
        }
        if (plan instanceof UnresolvedWith with) {
            for (Tuple3<String, SubqueryAlias, ?> cte : CollectionConverters.asJava(with.cteRelations())) {
                walk(cte._2(), views, readable, false);
                readable.add(cte._1().toLowerCase(Locale.ROOT));
            }
        }
        if (plan instanceof UnresolvedRelation relation) {
            List<String> name = CollectionConverters.asJava(relation.multipartIdentifier());
            if (name.size() != 1) {
                throw new SqlRefusedException("the transformation may read only its views (" + list(views)
                        + "), not '" + String.join(".", name) + "': reading by path, from another catalog or "
                        + "from a table is not allowed");
            }
            if (!readable.contains(name.get(0).toLowerCase(Locale.ROOT))) {
                throw new SqlRefusedException("the transformation reads '" + name.get(0) + "', which is not one of "
                        + "its views (" + list(views) + "); declare the product as an input port to read it");
            }
        }
        if (plan instanceof UnresolvedTableValuedFunction function) {
            String name = String.join(".", CollectionConverters.asJava(function.name())).toLowerCase(Locale.ROOT);
            if (!ALLOWED_TABLE_FUNCTIONS.contains(name)) {
                throw new SqlRefusedException("the table function '" + name + "' is not allowed in a transformation");
            }
        }
        for (Expression expression : CollectionConverters.asJava(plan.expressions())) {
            walk(expression, views, readable);
        }
        for (LogicalPlan child : CollectionConverters.asJava(plan.children())) {
            walk(child, views, readable, false);
        }
    }

    private static void walk(Expression expression, Set<String> views, Set<String> readable) {
        if (expression instanceof UnresolvedFunction function) {
            List<String> parts = CollectionConverters.asJava(function.nameParts());
            String name = parts.get(parts.size() - 1).toLowerCase(Locale.ROOT);
            if (parts.size() > 1) {
                throw new SqlRefusedException("the function '" + String.join(".", parts) + "' names a catalog; "
                        + "only built-in functions are allowed");
            }
            if (REFUSED_FUNCTIONS.contains(name)) {
                throw new SqlRefusedException("the function '" + name + "' is not allowed in a transformation: it "
                        + "reaches into the platform's JVM or environment");
            }
        }
        if (expression instanceof SubqueryExpression subquery) {
            walk(subquery.plan(), views, readable, false);
        }
        for (Expression child : CollectionConverters.asJava(expression.children())) {
            walk(child, views, readable);
        }
    }

    private static String list(Set<String> views) {
        return views.stream().sorted().collect(Collectors.joining(", "));
    }
}
