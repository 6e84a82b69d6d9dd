package dev.meshplatform.registry.standards;

import dev.meshplatform.registry.api.OdcsContracts;
import dev.meshplatform.registry.api.OdpsProducts;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** The open standards' mappings, offered to the application through the registry's api. */
@AutoConfiguration
class StandardsConfiguration {

    private final OdcsMapping contracts = new OdcsMapping();

    @Bean
    OdcsContracts odcsContracts() {
        return contracts;
    }

    @Bean
    OdpsProducts odpsProducts() {
        return new OdpsMapping(contracts);
    }
}
