package dev.meshplatform.app.web;

import dev.meshplatform.registry.api.MeshException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemDetailsAdviceTest {

    @Test
    void everyReasonHasAStatus() {
        assertThat(MeshException.Reason.values()).isNotEmpty()
                .allSatisfy(reason -> assertThat(ProblemDetailsAdvice.STATUS).containsKey(reason));
        assertThat(ProblemDetailsAdvice.STATUS.get(MeshException.Reason.TRANSITION_REJECTED).value()).isEqualTo(422);
        assertThat(ProblemDetailsAdvice.STATUS.get(MeshException.Reason.FORBIDDEN).value()).isEqualTo(403);
        assertThat(ProblemDetailsAdvice.STATUS.get(MeshException.Reason.GONE).value()).isEqualTo(410);
        assertThat(ProblemDetailsAdvice.STATUS.get(MeshException.Reason.UNAVAILABLE).value()).isEqualTo(503);
    }
}
