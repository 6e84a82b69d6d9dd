package dev.meshplatform.processing.spark;

import dev.meshplatform.processing.api.ProcessingProperties;
import dev.meshplatform.processing.api.Transformations;
import dev.meshplatform.processing.runs.WriteAuditPublish;
import org.apache.iceberg.catalog.Catalog;
import org.apache.spark.sql.SparkSession;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The processing module's beans. */
@AutoConfiguration
@EnableConfigurationProperties(ProcessingProperties.class)
class ProcessingConfiguration {

    /** Runs on the application's SparkSession, created only when the first run needs it. */
    @Bean
    @ConditionalOnBean(Catalog.class)
    Transformations transformations(ObjectProvider<SparkSession> spark, Catalog catalog) {
        return new WriteAuditPublish(spark::getObject, catalog);
    }
}
