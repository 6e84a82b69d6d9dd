package dev.meshplatform.processing.spark;

import dev.meshplatform.processing.api.ProcessingProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The processing module's beans. */
@AutoConfiguration
@EnableConfigurationProperties(ProcessingProperties.class)
class ProcessingConfiguration {
}
