package dev.meshplatform.app.governance;

import dev.meshplatform.governance.api.Access;
import dev.meshplatform.processing.api.GovernedInput;
import dev.meshplatform.processing.api.InputAccess;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Composes runs with governance: a run reads each input product as governance decides for {reading domain, RUN,
 * purpose} — under an active grant, with its columns and row filters and the current masks — and processing builds
 * the run's views from that decision alone.
 */
@Configuration
class RunInputGovernance {

    @Bean
    InputAccess governedInputAccess(Access access) {
        return (version, runId) -> {
            Access.RunInputs decided = access.decideRunInputs(version, runId);
            return new InputAccess.Decision(decided.refusal(), decided.inputs().stream()
                    .map(read -> new GovernedInput(read.domain(), read.product(), read.major(), read.columns(),
                            read.rowFilters(), read.masks()))
                    .toList(), decided.maskHashKey());
        };
    }
}
