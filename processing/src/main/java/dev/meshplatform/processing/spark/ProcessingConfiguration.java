package dev.meshplatform.processing.spark;

import dev.meshplatform.processing.api.InputAccess;
import dev.meshplatform.processing.api.ProcessingProperties;
import dev.meshplatform.processing.runs.OutputPortReader;
import dev.meshplatform.processing.runs.RunScheduler;
import dev.meshplatform.processing.runs.RunService;
import dev.meshplatform.processing.runs.TableMaintenance;
import dev.meshplatform.processing.runs.WriteAuditPublish;
import dev.meshplatform.processing.sandbox.SqlDescriptorCheck;
import dev.meshplatform.registry.api.ProductCatalog;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import org.apache.iceberg.catalog.Catalog;
import org.apache.spark.sql.SparkSession;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The processing module's beans. */
@AutoConfiguration(afterName = {"dev.meshplatform.registry.catalog.CatalogConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration"})
@EnableConfigurationProperties(ProcessingProperties.class)
class ProcessingConfiguration {

    /** Runs on the application's SparkSession, created only when the first run needs it. */
    @Bean
    @ConditionalOnBean(Catalog.class)
    WriteAuditPublish transformations(ObjectProvider<SparkSession> spark, Catalog catalog) {
        return new WriteAuditPublish(spark::getObject, catalog);
    }

    @Bean
    @ConditionalOnBean(WriteAuditPublish.class)
    RunService runs(WriteAuditPublish transformations, ProductCatalog products, ObjectProvider<InputAccess> inputAccess,
                    JdbcTemplate jdbc, ObjectProvider<SparkSession> spark, ProcessingProperties properties,
                    Clock clock) {
        return new RunService(transformations, products, inputAccess.getIfAvailable(() -> InputAccess.UNGOVERNED),
                jdbc, spark::getObject, properties, clock);
    }

    /** The sandbox's check of every version's SQL when it is applied. */
    @Bean
    SqlDescriptorCheck sqlDescriptorCheck() {
        return new SqlDescriptorCheck();
    }

    @Bean
    @ConditionalOnBean(Catalog.class)
    OutputPortReader outputPorts(Catalog catalog) {
        return new OutputPortReader(catalog);
    }

    @Bean
    @ConditionalOnBean(RunService.class)
    RunScheduler runScheduler(RunService runs, ProductCatalog products, JdbcTemplate jdbc, Clock clock) {
        return new RunScheduler(runs, products, jdbc, clock, java.time.Duration.ofSeconds(10));
    }

    @Bean
    @ConditionalOnBean(WriteAuditPublish.class)
    TableMaintenance tableMaintenance(ObjectProvider<SparkSession> spark, Catalog catalog, JdbcTemplate jdbc,
                                      ProcessingProperties properties) {
        return new TableMaintenance(spark::getObject, catalog, jdbc, properties);
    }
}
