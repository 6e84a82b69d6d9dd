package dev.meshplatform.processing.runs;

import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.trees.TreeNode;

import java.util.Map;

/** How a refused node is named to a domain team: in SQL words where there are some, else by Spark's class. */
final class Constructs {

    private static final String ONE_QUERY = "a transformation or SQL quality rule is one query (SELECT, WITH, VALUES, "
            + "set operations, subqueries) over its views";

    /** Spark class simple name → what the SQL said, and why it is out. */
    private static final Map<String, String[]> KNOWN = Map.ofEntries(
            Map.entry("UnresolvedExecuteImmediate", new String[]{"EXECUTE IMMEDIATE",
                    "it runs a statement computed from a string, which no check can see; " + ONE_QUERY}),
            Map.entry("ExecuteImmediateQuery", new String[]{"EXECUTE IMMEDIATE",
                    "it runs a statement computed from a string, which no check can see; " + ONE_QUERY}),
            Map.entry("ExpressionWithUnresolvedIdentifier", new String[]{"IDENTIFIER(…)",
                    "the name is computed from an expression, so no check can see which function or column it is"}),
            Map.entry("PlanWithUnresolvedIdentifier", new String[]{"IDENTIFIER(…)",
                    "the name is computed from an expression, so no check can see which relation it is"}),
            Map.entry("ScriptTransformation", new String[]{"TRANSFORM … USING",
                    "it starts an external process"}),
            Map.entry("InsertIntoStatement", new String[]{"INSERT", ONE_QUERY + "; the platform writes the result"}),
            Map.entry("RelationTimeTravel", new String[]{"time travel (VERSION AS OF / TIMESTAMP AS OF)",
                    "a query reads its views as the run provides them: the published data"}),
            Map.entry("NamedParameter", new String[]{"a named parameter marker",
                    "a transformation runs without arguments"}),
            Map.entry("PosParameter", new String[]{"a parameter marker", "a transformation runs without arguments"}),
            Map.entry("UnresolvedStarExceptOrReplace", new String[]{"* EXCEPT", "not reviewed"}),
            Map.entry("CompoundBody", new String[]{"a SQL script", ONE_QUERY}),
            Map.entry("SetCommand", new String[]{"SET", ONE_QUERY}),
            Map.entry("AddJarsCommand", new String[]{"ADD JAR", ONE_QUERY}),
            Map.entry("AddFilesCommand", new String[]{"ADD FILE", ONE_QUERY}),
            Map.entry("AddArchivesCommand", new String[]{"ADD ARCHIVE", ONE_QUERY}),
            Map.entry("CreateFunction", new String[]{"CREATE FUNCTION", ONE_QUERY}),
            Map.entry("CreateFunctionCommand", new String[]{"CREATE FUNCTION", ONE_QUERY}),
            Map.entry("CreateUserDefinedFunctionCommand", new String[]{"CREATE FUNCTION", ONE_QUERY}),
            Map.entry("Call", new String[]{"CALL", ONE_QUERY}),
            Map.entry("ShowTables", new String[]{"SHOW TABLES", ONE_QUERY}),
            Map.entry("ShowNamespaces", new String[]{"SHOW NAMESPACES", ONE_QUERY}),
            Map.entry("DescribeRelation", new String[]{"DESCRIBE", ONE_QUERY}),
            Map.entry("ExplainCommand", new String[]{"EXPLAIN", ONE_QUERY}),
            Map.entry("SetCatalogAndNamespace", new String[]{"USE", ONE_QUERY}),
            Map.entry("CreateView", new String[]{"CREATE VIEW", ONE_QUERY}),
            Map.entry("CreateViewCommand", new String[]{"CREATE VIEW", ONE_QUERY}),
            Map.entry("CreateTable", new String[]{"CREATE TABLE", ONE_QUERY}),
            Map.entry("CreateTableAsSelect", new String[]{"CREATE TABLE AS SELECT", ONE_QUERY}),
            Map.entry("DropTable", new String[]{"DROP TABLE", ONE_QUERY}),
            Map.entry("DeleteFromTable", new String[]{"DELETE", ONE_QUERY}),
            Map.entry("UpdateTable", new String[]{"UPDATE", ONE_QUERY}),
            Map.entry("MergeIntoTable", new String[]{"MERGE", ONE_QUERY}),
            Map.entry("CacheTable", new String[]{"CACHE TABLE", ONE_QUERY}),
            Map.entry("UncacheTable", new String[]{"UNCACHE TABLE", ONE_QUERY}),
            Map.entry("CreateVariable", new String[]{"DECLARE VARIABLE", ONE_QUERY}),
            Map.entry("SetVariable", new String[]{"SET VARIABLE", ONE_QUERY}));

    private Constructs() {
    }

    static String name(TreeNode<?> node) {
        String simple = node.getClass().getSimpleName();
        String[] known = KNOWN.get(simple);
        if (known != null) {
            return known[0];
        }
        if (node instanceof Command || simple.endsWith("Command") || simple.endsWith("Statement")) {
            return "the statement " + simple;
        }
        return node instanceof LogicalPlan ? "the plan node " + simple : "the expression " + simple;
    }

    static String why(TreeNode<?> node) {
        String[] known = KNOWN.get(node.getClass().getSimpleName());
        if (known != null) {
            return known[1];
        }
        if (node instanceof LogicalPlan) {
            return ONE_QUERY + "; this construct is not on the allowlist (docs/sql-sandbox.md)";
        }
        return "it is not on the allowlist of expressions (docs/sql-sandbox.md)";
    }
}
