package dev.meshplatform.registry.catalog;

import dev.meshplatform.registry.api.DescriptorCheck;
import dev.meshplatform.registry.api.LineageAnalyzer;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import dev.meshplatform.registry.api.TransitionGuard;
import jakarta.validation.Validator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

import java.time.Clock;

/**
 * The registry's catalog beans. Registers the registry's package for entity scanning and Spring Data repositories,
 * so that the application needs to know nothing about the registry's internals.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
@AutoConfigurationPackage(basePackages = "dev.meshplatform.registry")
@org.springframework.boot.context.properties.EnableConfigurationProperties(
        dev.meshplatform.registry.api.RegistryProperties.class)
class CatalogConfiguration {

    /**
     * The one scheduler every module's background loops share (daemon threads, named for operators). It starts before
     * the services and stops after them, so that no loop finds it stopped.
     */
    @Bean
    @ConditionalOnMissingBean(org.springframework.scheduling.TaskScheduler.class)
    org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler meshTaskScheduler() {
        var scheduler = new org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler();
        scheduler.setPoolSize(dev.meshplatform.registry.api.BackgroundLoops.THREADS);
        scheduler.setThreadNamePrefix("mesh-background-");
        scheduler.setDaemon(true);
        scheduler.setPhase(dev.meshplatform.registry.api.LifecyclePhases.SERVICES - 1024);
        return scheduler;
    }

    @Bean
    RetentionPurger retentionPurger(org.springframework.jdbc.core.JdbcTemplate jdbc, ProductCatalogService products,
                                    ObjectProvider<dev.meshplatform.registry.api.RetiredDataPurge> purges,
                                    dev.meshplatform.registry.api.RegistryProperties properties,
                                    org.springframework.scheduling.TaskScheduler scheduler, Clock clock) {
        return new RetentionPurger(jdbc, products, purges, properties, scheduler, clock);
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    DomainCatalogService domainCatalog(DomainRepository domains, ProductRepository products,
                                       ProductVersionRepository versions,
                                       org.springframework.jdbc.core.JdbcTemplate jdbc,
                                       ApplicationEventPublisher events, Clock clock) {
        return new DomainCatalogService(domains, products, versions, jdbc, events, clock);
    }

    @Bean
    ProductCatalogService productCatalog(DomainCatalogService domains, ProductRepository products,
                                         ProductVersionRepository versions, Validator validator,
                                         ObjectProvider<TransitionGuard> guards, ObjectProvider<DescriptorCheck> checks,
                                         ObjectProvider<LineageAnalyzer> analyzers,
                                         PlatformTransactionManager transactions,
                                         ApplicationEventPublisher events, Clock clock,
                                         org.springframework.jdbc.core.JdbcTemplate jdbc) {
        return new ProductCatalogService(domains, products, versions, new DescriptorValidator(validator), guards,
                checks, analyzers, new TransactionTemplate(transactions), events, clock, new RecentProducts(jdbc),
                new CatalogSearch(jdbc));
    }
}
