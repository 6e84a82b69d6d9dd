package dev.meshplatform.app.governance;

import dev.meshplatform.governance.api.Access;
import dev.meshplatform.processing.api.InputAccess;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Composes runs with governance: a run reads another domain's product only while its domain holds a grant. */
@Configuration
class RunInputGovernance {

    @Bean
    InputAccess governedInputAccess(Access access) {
        return access::decideRunInputs;
    }
}
