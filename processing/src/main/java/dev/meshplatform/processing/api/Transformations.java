package dev.meshplatform.processing.api;

import dev.meshplatform.registry.api.ProductVersionView;

/** Runs a product version's transformation into its output port, isolated and checked before anyone sees it. */
public interface Transformations {

    /**
     * Runs once: asks governance how the run may read its inputs, checks the SQL, executes it in a run JVM of its own
     * over {@code raw} and the governed inputs, writes the result to a staging branch of the output table, evaluates
     * the quality rules there, and fast-forwards main only when every blocking rule passes. The tag
     * {@code v<version>} then points at the new snapshot.
     *
     * @param runId a unique id; the staging branch is named after it
     * @throws RunRefusedException when the run may not read its inputs, the sandbox refuses the SQL, or the result
     *                             does not match the contract
     */
    default TransformationOutcome run(ProductVersionView version, String runId) {
        return run(version, runId, RunControl.NONE);
    }

    /** As {@link #run(ProductVersionView, String)}, reporting phases; a cancelled run never publishes. */
    TransformationOutcome run(ProductVersionView version, String runId, RunControl control);
}
