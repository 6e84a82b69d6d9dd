package dev.meshplatform.ingestion.config;

import dev.meshplatform.ingestion.api.IngestionProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The ingestion module's beans. */
@AutoConfiguration
@EnableConfigurationProperties(IngestionProperties.class)
class IngestionConfiguration {
}
