package dev.meshplatform.ingestion.landing;

import dev.meshplatform.ingestion.api.IngestionProperties;
import dev.meshplatform.ingestion.api.KafkaConnection;
import dev.meshplatform.registry.api.ProductCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;

/**
 * The ingestion module's beans, built on the infrastructure the application provides: the Iceberg catalog, the
 * Kafka admin client and producer, and the Kafka connection.
 */
@AutoConfiguration(afterName = {"dev.meshplatform.registry.catalog.CatalogConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration"})
@EnableConfigurationProperties(IngestionProperties.class)
class IngestionConfiguration {

    @Bean
    ProductContracts productContracts(ProductCatalog catalog) {
        return new ProductContracts(catalog);
    }

    @Bean
    LandingJobStore landingJobStore(JdbcTemplate jdbc) {
        return new LandingJobStore(jdbc);
    }

    @Bean
    LandingSloSignals landingSloSignals(LandingJobStore store) {
        return new LandingSloSignals(store);
    }

    @Bean
    @ConditionalOnBean({Catalog.class, Admin.class})
    Provisioner provisioner(Admin admin, Catalog catalog, IngestionProperties properties, LandingJobStore jobs,
                            ProductContracts contracts, ReplayLedger replays, Clock clock) {
        return new Provisioner(admin, catalog, properties, jobs, contracts, replays, clock);
    }

    @Bean
    @ConditionalOnBean({Catalog.class, KafkaConnection.class})
    LandingCoordinator landingCoordinator(Catalog catalog, KafkaConnection kafka, Producer<byte[], byte[]> producer,
                                          LandingJobStore store, ProductContracts contracts,
                                          IngestionProperties properties, Clock clock,
                                          ObjectProvider<MeterRegistry> meters, IdempotencyStore idempotency,
                                          org.springframework.scheduling.TaskScheduler scheduler,
                                          org.springframework.transaction.PlatformTransactionManager transactions,
                                          org.springframework.context.ApplicationEventPublisher events) {
        var transaction = new org.springframework.transaction.support.TransactionTemplate(transactions);
        // In a transaction of the platform's database, so that listeners (notifications) write theirs in it.
        LandingCoordinator coordinator = new LandingCoordinator(catalog, kafka, producer, store, contracts,
                properties, clock, meters.getIfAvailable(SimpleMeterRegistry::new), scheduler,
                landed -> transaction.executeWithoutResult(tx -> events.publishEvent(landed)));
        // Forgets Idempotency-Keys past their retention; every instance may do it, it is idempotent.
        coordinator.addHousekeeping(() -> {
            int purged = idempotency.purgeOlderThan(clock.instant().minus(properties.idempotencyRetention()));
            if (purged > 0) {
                LoggerFactory.getLogger(IdempotencyStore.class).info("Forgot {} Idempotency-Keys older than {}",
                        purged, properties.idempotencyRetention());
            }
            // Hourly counts serve the SLOs' 24 h window; twice that is kept.
            store.purgeCountsBefore(clock.instant().minus(LandingSloSignals.WINDOW.multipliedBy(2)));
        });
        return coordinator;
    }

    @Bean
    @ConditionalOnBean(KafkaConnection.class)
    DeadLetterReader deadLetters(KafkaConnection kafka, ProductCatalog catalog, ReplayLedger replays) {
        return new DeadLetterReader(kafka, catalog, replays);
    }

    @Bean
    ReplayLedger replayLedger(JdbcTemplate jdbc) {
        return new ReplayLedger(jdbc);
    }

    @Bean
    @ConditionalOnBean(KafkaConnection.class)
    DeadLetterReplayer deadLetterReplays(DeadLetterReader reader, ReplayLedger replays, ProductContracts contracts,
                                         Producer<byte[], byte[]> producer, IngestionProperties properties,
                                         Clock clock) {
        return new DeadLetterReplayer(reader, replays, contracts, producer, properties, clock);
    }

    @Bean
    IdempotencyStore idempotencyStore(JdbcTemplate jdbc) {
        return new IdempotencyStore(jdbc);
    }

    @Bean
    @ConditionalOnBean(KafkaConnection.class)
    EventProducer eventProducer(ProductContracts contracts, Producer<byte[], byte[]> producer,
                                IdempotencyStore idempotency, IngestionProperties properties, Clock clock) {
        return new EventProducer(contracts, producer, idempotency, properties, clock);
    }
}
