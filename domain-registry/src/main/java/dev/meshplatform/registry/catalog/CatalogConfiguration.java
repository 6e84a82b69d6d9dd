package dev.meshplatform.registry.catalog;

import dev.meshplatform.registry.api.DescriptorCheck;
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

    @Bean
    RetentionPurger retentionPurger(org.springframework.jdbc.core.JdbcTemplate jdbc, ProductCatalogService products,
                                    ObjectProvider<dev.meshplatform.registry.api.RetiredDataPurge> purges,
                                    dev.meshplatform.registry.api.RegistryProperties properties, Clock clock) {
        return new RetentionPurger(jdbc, products, purges, properties, clock);
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
                                         ApplicationEventPublisher events, Clock clock) {
        return new ProductCatalogService(domains, products, versions, new DescriptorValidator(validator), guards,
                checks, events, clock);
    }
}
