package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.InputAccess;
import dev.meshplatform.processing.api.ProcessingProperties;
import dev.meshplatform.processing.api.RunCatalog;
import dev.meshplatform.registry.api.ProductCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.iceberg.catalog.Catalog;
import org.apache.spark.sql.SparkSession;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;

import java.time.Clock;

/** The processing module's beans. */
@AutoConfiguration(afterName = {"dev.meshplatform.registry.catalog.CatalogConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration"})
@EnableConfigurationProperties(ProcessingProperties.class)
class ProcessingConfiguration {

    /** Runs in run JVMs of their own, which reach the catalog as the platform describes it ({@link RunCatalog}). */
    @Bean
    @ConditionalOnBean({Catalog.class, RunCatalog.class})
    WriteAuditPublish transformations(Catalog catalog, RunCatalog runCatalog, ObjectProvider<InputAccess> inputAccess,
                                      ProcessingProperties properties) {
        return new WriteAuditPublish(catalog, runCatalog, inputAccess.getIfAvailable(() -> InputAccess.UNGOVERNED),
                properties);
    }

    @Bean
    @ConditionalOnBean(WriteAuditPublish.class)
    RunService runs(WriteAuditPublish transformations, ProductCatalog products, JdbcTemplate jdbc,
                    ProcessingProperties properties, TaskScheduler scheduler, Clock clock,
                    ObjectProvider<MeterRegistry> meters,
                    org.springframework.transaction.PlatformTransactionManager transactions,
                    org.springframework.context.ApplicationEventPublisher events, RunSloSignals sloSignals) {
        return new RunService(transformations, products, jdbc, properties, scheduler, clock,
                meters.getIfAvailable(SimpleMeterRegistry::new),
                new org.springframework.transaction.support.TransactionTemplate(transactions), events, sloSignals);
    }

    /** The SLO signal of derived products, from run history. */
    @Bean
    RunSloSignals runSloSignals(JdbcTemplate jdbc, ObjectProvider<dev.meshplatform.registry.api.SloSignals> signals) {
        return new RunSloSignals(new RunStore(jdbc), signals);
    }

    /** The sandbox's check of every version's SQL when it is applied. */
    @Bean
    SqlDescriptorCheck sqlDescriptorCheck() {
        return new SqlDescriptorCheck();
    }

    /** Column lineage of transformations, analyzed in a sandbox JVM of its own when versions are applied. */
    @Bean(destroyMethod = "close")
    LineageSandbox lineageSandbox(ProcessingProperties properties, ObjectProvider<WriteAuditPublish> transformations) {
        WriteAuditPublish runs = transformations.getIfAvailable();
        return new LineageSandbox(runs != null ? runs::startAnalysisJvm : () -> RunJvms.startForAnalyses(properties));
    }

    /** Published versions whose SQL this build's allowlist refuses are flagged at every start. */
    @Bean
    PublishedSqlRecheck publishedSqlRecheck(ProductCatalog products) {
        return new PublishedSqlRecheck(products);
    }

    @Bean
    @ConditionalOnBean(Catalog.class)
    OutputPortReader outputPorts(Catalog catalog, ProcessingProperties properties) {
        return new OutputPortReader(catalog, new ServingFileCache(properties.servingFileCacheSize().toBytes(),
                properties.servingFileCacheLargestFile().toBytes()));
    }

    @Bean
    @ConditionalOnBean(RunService.class)
    RunScheduler runScheduler(RunService runs, ProductCatalog products, JdbcTemplate jdbc, TaskScheduler scheduler,
                              Clock clock) {
        return new RunScheduler(runs, products, jdbc, scheduler, clock, java.time.Duration.ofSeconds(10));
    }

    /** A published minor's new columns reach its output table before its first run. */
    @Bean
    @ConditionalOnBean(WriteAuditPublish.class)
    OutputTableEvolution outputTableEvolution(Catalog catalog, JdbcTemplate jdbc,
                                              org.springframework.transaction.PlatformTransactionManager transactions) {
        return new OutputTableEvolution(catalog, jdbc, transactions);
    }

    @Bean
    @ConditionalOnBean(WriteAuditPublish.class)
    OutputTablePurge outputTablePurge(Catalog catalog) {
        return new OutputTablePurge(catalog);
    }

    @Bean
    @ConditionalOnBean(WriteAuditPublish.class)
    TableMaintenance tableMaintenance(ObjectProvider<SparkSession> spark, Catalog catalog, ProductCatalog products,
                                      JdbcTemplate jdbc, ProcessingProperties properties, TaskScheduler scheduler) {
        return new TableMaintenance(spark::getObject, catalog, products, jdbc, properties, scheduler);
    }
}
