package dev.meshplatform.registry.keys;

import dev.meshplatform.registry.api.DomainCatalog;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

import java.time.Clock;

/** The registry's API key store. */
@AutoConfiguration(afterName = "dev.meshplatform.registry.catalog.CatalogConfiguration")
class ApiKeyConfiguration {

    @Bean
    ApiKeyService apiKeyStore(ApiKeyRepository keys, DomainCatalog domains, Clock clock,
                              org.springframework.jdbc.core.JdbcTemplate jdbc) {
        return new ApiKeyService(keys, domains, clock, jdbc);
    }
}
