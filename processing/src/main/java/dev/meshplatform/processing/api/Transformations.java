package dev.meshplatform.processing.api;

import dev.meshplatform.registry.api.ProductVersionView;

/** Runs a product version's transformation on Spark into its output port, checked before anyone sees it. */
public interface Transformations {

    /**
     * Runs once: checks the SQL, computes the result over {@code raw} and the declared inputs, writes it to a
     * staging branch of {@code <domain>.<product>_v<major>}, evaluates the quality rules there, and fast-forwards
     * main only when every blocking rule passes. The tag {@code v<version>} then points at the new snapshot.
     *
     * @param runId a unique id; the staging branch is named after it
     * @throws SqlRefusedException when the sandbox refuses the SQL or the result does not match the contract
     */
    default TransformationOutcome run(ProductVersionView version, String runId) {
        return run(version, runId, RunControl.NONE);
    }

    /** As {@link #run(ProductVersionView, String)}, reporting phases; a cancelled run never publishes. */
    TransformationOutcome run(ProductVersionView version, String runId, RunControl control);
}
