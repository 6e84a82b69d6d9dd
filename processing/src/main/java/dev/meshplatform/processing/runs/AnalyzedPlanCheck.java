package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.SqlRefusedException;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.View;
import scala.jdk.javaapi.CollectionConverters;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The second look, after Spark resolved the checked plan: every plan node and expression of the resolved plan must
 * be of a class allowed after analysis, and the only relations are the run's own temporary views. A view's plan is
 * the platform's read (with its masks and filters) and is not walked.
 */
final class AnalyzedPlanCheck {

    private AnalyzedPlanCheck() {
    }

    /** @param views the temporary views the run created for the query */
    public static void check(LogicalPlan analyzed, Set<String> views) {
        Set<String> names = views.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        try {
            plan(analyzed, names, SqlAllowlist.get(), ParsedPlanCheck.Position.NONE);
        } catch (StackOverflowError e) {
            throw new SqlRefusedException("the query is nested too deeply to be checked", "nesting", null, null);
        }
    }

    private static void plan(LogicalPlan plan, Set<String> views, SqlAllowlist allowlist,
                             ParsedPlanCheck.Position around) {
        ParsedPlanCheck.Position here = ParsedPlanCheck.Position.of(plan.origin(), around);
        if (plan instanceof View view) {
            String name = view.desc().identifier().table().toLowerCase(Locale.ROOT);
            if (!view.isTempView() || !views.contains(name)) {
                throw ParsedPlanCheck.refused("the view '" + view.desc().identifier().unquotedString() + "'", here,
                        "a query reads only the views its run provides");
            }
            return;
        }
        if (!allowlist.resolvedPlanNodeAllowed(plan.getClass())) {
            throw ParsedPlanCheck.refused("the resolved plan node " + plan.nodeName(), here,
                    "the query resolved to a construct that is not on the allowlist (docs/sql-sandbox.md)");
        }
        for (Expression expression : CollectionConverters.asJava(plan.expressions())) {
            expression(expression, views, allowlist, here);
        }
        for (LogicalPlan child : CollectionConverters.asJava(plan.children())) {
            plan(child, views, allowlist, here);
        }
    }

    private static void expression(Expression expression, Set<String> views, SqlAllowlist allowlist,
                                   ParsedPlanCheck.Position around) {
        ParsedPlanCheck.Position here = ParsedPlanCheck.Position.of(expression.origin(), around);
        if (!allowlist.resolvedExpressionAllowed(expression.getClass())) {
            throw ParsedPlanCheck.refused("the resolved expression " + expression.getClass().getSimpleName(), here,
                    "the query resolved to an expression that is not on the allowlist (docs/sql-sandbox.md)");
        }
        if (expression instanceof SubqueryExpression subquery) {
            plan(subquery.plan(), views, allowlist, here);
        }
        for (Expression child : CollectionConverters.asJava(expression.children())) {
            expression(child, views, allowlist, here);
        }
    }
}
