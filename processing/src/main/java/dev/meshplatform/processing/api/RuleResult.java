package dev.meshplatform.processing.api;

/**
 * One quality rule's result on a run's staged output.
 *
 * @param observed the number the rule measured (violating rows, the row count, the query's value)
 */
public record RuleResult(String rule, String type, boolean blocking, boolean passed, double observed,
                         String message) {
}
