package dev.meshplatform.processing.api;

import dev.meshplatform.registry.api.ProductVersionView;

import java.util.Optional;

/**
 * Asked when a run starts, before it reads anything: may this product read its input products now? Runs read other
 * domains' output ports directly, so consent given at publish time must still hold at every run; a grant revoked
 * or expired since stops the next run. Governance answers it (the platform wires it in); processing does not
 * decide access itself.
 */
@FunctionalInterface
public interface InputAccess {

    /** Every run may read its inputs: for a platform assembled without governance. */
    InputAccess UNGOVERNED = (version, runId) -> Optional.empty();

    /** Why the run {@code runId} of {@code version} may not read its inputs, or empty when it may. */
    Optional<String> refusal(ProductVersionView version, String runId);
}
