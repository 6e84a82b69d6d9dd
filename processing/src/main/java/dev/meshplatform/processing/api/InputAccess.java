package dev.meshplatform.processing.api;

import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.ProductVersionView;

import java.util.List;

/**
 * Asked when a run starts, before it reads anything: may this run read its input products now, and how? Consent
 * given at publish time must still hold at every run: a grant revoked or expired since stops the next run, and a
 * grant's columns, row filters and the current masks shape what the run reads. Governance answers it (the platform
 * wires it in); processing does not decide access itself.
 */
@FunctionalInterface
public interface InputAccess {

    /** Every run reads its inputs whole: for a platform assembled without governance. */
    InputAccess UNGOVERNED = (version, runId) -> new Decision(null, version.descriptor().productInputs().stream()
            .map(InputAccess::unrestricted).toList(), null);

    /** The decision for the run {@code runId} of {@code version}; every read it allows is in the audit log. */
    Decision decide(ProductVersionView version, String runId);

    private static GovernedInput unrestricted(InputPort port) {
        return GovernedInput.unrestricted(port.domain(), port.product(), port.majorVersion());
    }

    /**
     * @param refusal     why the run may not read its inputs; null when it may
     * @param inputs      one per input product port, in the descriptor's order
     * @param maskHashKey the key of the HASH mask, for inputs that mask with it (never logged)
     */
    record Decision(String refusal, List<GovernedInput> inputs, String maskHashKey) {

        public Decision {
            inputs = inputs == null ? List.of() : List.copyOf(inputs);
        }

        public boolean refused() {
            return refusal != null;
        }

        @Override
        public String toString() {
            return "Decision[refusal=" + refusal + ", inputs=" + inputs + "]";
        }
    }
}
