package dev.meshplatform.registry.standards;

import dev.meshplatform.registry.api.OdcsContracts;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** The open standards' mappings, offered to the application through the registry's api. */
@AutoConfiguration
class StandardsConfiguration {

    @Bean
    OdcsContracts odcsContracts() {
        return new OdcsMapping();
    }
}
