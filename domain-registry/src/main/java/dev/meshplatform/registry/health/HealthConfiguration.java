package dev.meshplatform.registry.health;

import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.RegistryProperties;
import dev.meshplatform.registry.api.SloSignals;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;

/** The SLO evaluator and the health it keeps. */
@AutoConfiguration(afterName = "dev.meshplatform.registry.catalog.CatalogConfiguration")
class HealthConfiguration {

    @Bean
    SloStateStore sloStateStore(JdbcTemplate jdbc) {
        return new SloStateStore(jdbc);
    }

    @Bean
    SloEvaluator sloEvaluator(ProductCatalog products, ObjectProvider<SloSignals> signals, SloStateStore store,
                              PlatformTransactionManager transactionManager, ApplicationEventPublisher events,
                              ObjectProvider<MeterRegistry> meters, RegistryProperties properties,
                              TaskScheduler scheduler, Clock clock) {
        return new SloEvaluator(products, signals, store, new TransactionTemplate(transactionManager), events,
                new SloMetrics(meters.getIfAvailable(SimpleMeterRegistry::new)), properties, scheduler, clock);
    }

    @Bean
    HealthCatalogService healthCatalog(ProductCatalog products, SloStateStore store) {
        return new HealthCatalogService(products, store);
    }
}
