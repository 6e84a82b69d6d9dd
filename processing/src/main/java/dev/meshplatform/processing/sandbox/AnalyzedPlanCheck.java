package dev.meshplatform.processing.sandbox;

import dev.meshplatform.processing.api.SqlRefusedException;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.plans.logical.LeafNode;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.OneRowRelation;
import org.apache.spark.sql.catalyst.plans.logical.Range;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import scala.jdk.javaapi.CollectionConverters;

import java.util.Locale;
import java.util.Set;

/**
 * The second look, after Spark resolved the query: every table its analyzed plan reads must be one behind its
 * views, and the only other sources allowed are generated rows. Whatever slipped past the parsed-plan check (a
 * resolution rule, a function that expands to a read) stops here.
 */
public final class AnalyzedPlanCheck {

    private AnalyzedPlanCheck() {
    }

    /** @param tables the tables behind the views, as {@code namespace.table} */
    public static void check(LogicalPlan analyzed, Set<String> tables) {
        walk(analyzed, tables);
    }

    private static void walk(LogicalPlan plan, Set<String> tables) {
        if (plan instanceof DataSourceV2Relation relation) {
            String name = relation.identifier().isDefined() ? name(relation.identifier().get())
                    : relation.table().name();
            if (!tables.contains(name.toLowerCase(Locale.ROOT))) {
                throw new SqlRefusedException("the transformation reads table '" + name + "', which is behind none "
                        + "of its views");
            }
        } else if (plan instanceof LeafNode && !(plan instanceof LocalRelation || plan instanceof OneRowRelation
                || plan instanceof Range)) {
            throw new SqlRefusedException("the transformation reads a source that is not one of its views ("
                    + plan.nodeName() + ")");
        }
        for (Expression expression : CollectionConverters.asJava(plan.expressions())) {
            walk(expression, tables);
        }
        for (LogicalPlan child : CollectionConverters.asJava(plan.children())) {
            walk(child, tables);
        }
    }

    private static void walk(Expression expression, Set<String> tables) {
        if (expression instanceof SubqueryExpression subquery) {
            walk(subquery.plan(), tables);
        }
        for (Expression child : CollectionConverters.asJava(expression.children())) {
            walk(child, tables);
        }
    }

    private static String name(Identifier identifier) {
        return String.join(".", identifier.namespace()) + "." + identifier.name();
    }
}
