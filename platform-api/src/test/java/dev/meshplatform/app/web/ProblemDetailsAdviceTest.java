package dev.meshplatform.app.web;

import dev.meshplatform.registry.api.RegistryException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemDetailsAdviceTest {

    @Test
    void everyRegistryReasonHasAStatus() {
        for (RegistryException.Reason reason : RegistryException.Reason.values()) {
            assertThat(ProblemDetailsAdvice.REGISTRY_STATUS).containsKey(reason);
        }
        assertThat(ProblemDetailsAdvice.REGISTRY_STATUS.get(RegistryException.Reason.TRANSITION_REJECTED).value())
                .isEqualTo(422);
        for (dev.meshplatform.ingestion.api.IngestionException.Reason reason
                : dev.meshplatform.ingestion.api.IngestionException.Reason.values()) {
            assertThat(ProblemDetailsAdvice.INGESTION_STATUS).containsKey(reason);
        }
        for (dev.meshplatform.processing.api.ProcessingException.Reason reason
                : dev.meshplatform.processing.api.ProcessingException.Reason.values()) {
            assertThat(ProblemDetailsAdvice.PROCESSING_STATUS).containsKey(reason);
        }
        for (dev.meshplatform.governance.api.GovernanceException.Reason reason
                : dev.meshplatform.governance.api.GovernanceException.Reason.values()) {
            assertThat(ProblemDetailsAdvice.GOVERNANCE_STATUS).containsKey(reason);
        }
        assertThat(ProblemDetailsAdvice.GOVERNANCE_STATUS.get(
                dev.meshplatform.governance.api.GovernanceException.Reason.FORBIDDEN).value()).isEqualTo(403);
    }
}
