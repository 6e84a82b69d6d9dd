package dev.meshplatform.processing.runs;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meshplatform.processing.api.RuleResult;
import dev.meshplatform.registry.api.ColumnLineage;

import java.util.List;

/**
 * One line a run JVM writes on its standard output: the only channel back to the platform (Spark's and the JVM's own
 * output goes to standard error).
 *
 * @param event     {@code ready} (Spark is up, waiting for a run), {@code phase}, {@code staged} (the result is on the
 *                  staging branch, with the rules' results), {@code refused} (the sandbox refused the SQL),
 *                  {@code lineage} (an analysis JVM's answer) or {@code failed}
 * @param construct for {@code refused}: the construct refused and where
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RunEvent(String event, String phase, Double progress, Boolean written, List<RuleResult> rules,
                       String message, String construct, Integer line, Integer column, ColumnLineage lineage) {

    public static RunEvent ready() {
        return new RunEvent("ready", null, null, null, null, null, null, null, null, null);
    }

    public static RunEvent phase(String phase, double progress) {
        return new RunEvent("phase", phase, progress, null, null, null, null, null, null, null);
    }

    public static RunEvent staged(boolean written, List<RuleResult> rules) {
        return new RunEvent("staged", null, null, written, rules, null, null, null, null, null);
    }

    public static RunEvent refused(String message, String construct, Integer line, Integer column) {
        return new RunEvent("refused", null, null, null, null, message, construct, line, column, null);
    }

    /** An analysis JVM's answer: the column lineage of the transformation it was sent. */
    public static RunEvent lineage(ColumnLineage lineage) {
        return new RunEvent("lineage", null, null, null, null, null, null, null, null, lineage);
    }

    public static RunEvent failed(String message) {
        return new RunEvent("failed", null, null, null, null, message, null, null, null, null);
    }
}
