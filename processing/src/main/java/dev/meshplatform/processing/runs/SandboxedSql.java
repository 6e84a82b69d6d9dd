package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.SqlRefusedException;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.SparkSqlParser;
import org.apache.spark.sql.internal.SQLConf;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one way a domain's SQL becomes a plan: parsed once by Spark's SQL parser under {@link #FIXED_CONF}, then
 * checked against the allowlist before anything is resolved. The run executes the plan returned here; apply time
 * calls the same method with a parser of the same class, so both see the same plan.
 */
final class SandboxedSql {

    /** The SQL settings that change what the parser builds; the run's session has them, apply time reproduces them. */
    public static final Map<String, String> FIXED_CONF = Map.of(
            "spark.sql.ansi.enabled", "true",
            "spark.sql.ansi.enforceReservedKeywords", "false",
            "spark.sql.ansi.doubleQuotedIdentifiers", "false",
            "spark.sql.parser.quotedRegexColumnNames", "false",
            "spark.sql.runSQLOnFiles", "false",
            "spark.sql.caseSensitive", "false",
            "spark.sql.session.timeZone", "UTC",
            "spark.sql.scripting.enabled", "false");

    static final int MAX_LENGTH = 100_000;
    static final int MAX_NESTING = 200;

    private SandboxedSql() {
    }

    /** A configuration holding {@link #FIXED_CONF} over Spark's defaults: what apply time parses under. */
    public static SQLConf fixedConf() {
        SQLConf conf = new SQLConf();
        FIXED_CONF.forEach(conf::setConfString);
        return conf;
    }

    /**
     * Checks a query at apply time, with no Spark session: Spark's SQL parser under the fixed configuration.
     *
     * @param views the views the query may read (case-insensitive)
     * @throws SqlRefusedException naming the construct refused and its position
     */
    public static LogicalPlan check(String sql, Set<String> views) {
        return parse(new SparkSqlParser(), fixedConf(), sql, views);
    }

    /**
     * Parses {@code sql} with {@code parser} under {@code conf} and checks the plan; the plan returned is the one to
     * execute.
     */
    public static LogicalPlan parse(ParserInterface parser, SQLConf conf, String sql, Set<String> views) {
        if (sql == null || sql.isBlank()) {
            throw new SqlRefusedException("the query is empty", "empty query", null, null);
        }
        if (sql.length() > MAX_LENGTH) {
            throw new SqlRefusedException("the query has " + sql.length() + " characters; at most " + MAX_LENGTH
                    + " are allowed", "length", null, null);
        }
        Nesting.check(sql, MAX_NESTING);
        LogicalPlan plan;
        try {
            plan = SQLConf.withExistingConf(conf, () -> parsePlan(parser, sql));
        } catch (StackOverflowError e) {
            throw new SqlRefusedException("the query is nested too deeply to be parsed", "nesting", null, null);
        }
        Set<String> allowed = views.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        new ParsedPlanCheck(SqlAllowlist.get()).check(plan, allowed);
        return plan;
    }

    private static LogicalPlan parsePlan(ParserInterface parser, String sql) {
        try {
            return parser.parsePlan(sql);
        } catch (Exception e) {
            // Scala declares no checked exceptions: the parser's ParseException arrives as declared by Java, others not.
            if (e instanceof ParseException parse) {
                Integer line = parse.line().isDefined() ? (Integer) parse.line().get() : null;
                Integer column = parse.startPosition().isDefined() ? (Integer) parse.startPosition().get() + 1 : null;
                String first = parse.getMessage().lines().findFirst().orElse("syntax error").trim();
                if (first.isEmpty()) {
                    first = parse.getMessage().lines().map(String::trim).filter(l -> !l.isEmpty()).findFirst()
                            .orElse("syntax error");
                }
                String at = new ParsedPlanCheck.Position(line, column).text();
                throw new SqlRefusedException("the query is not valid Spark SQL" + at + ": " + first, "syntax", line,
                        column);
            }
            // Anything else the parser throws (a disabled feature, an operation it does not allow) is a refusal too:
            // parsing executes nothing.
            String first = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().lines().findFirst().orElse(e.getClass().getSimpleName());
            throw new SqlRefusedException("the query is not valid Spark SQL: " + first, "syntax", null, null);
        }
    }
}
