package dev.meshplatform.governance.policy;

import dev.meshplatform.governance.api.CurrentActor;
import dev.meshplatform.governance.api.GovernanceProperties;
import dev.meshplatform.registry.api.DomainCatalog;
import dev.meshplatform.registry.api.ProductCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** The governance module's beans: the policy service (also the registry's publish gate), access and audit. */
@AutoConfiguration(afterName = {"dev.meshplatform.registry.catalog.CatalogConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration"})
@EnableConfigurationProperties(GovernanceProperties.class)
class GovernanceConfiguration {

    @Bean
    AuditStore auditLog(JdbcTemplate jdbc, ObjectProvider<Clock> clock, PlatformTransactionManager transactions) {
        return new AuditStore(jdbc, clock.getIfAvailable(Clock::systemUTC), transactions);
    }

    @Bean
    InputAccessGate inputAccessGate(JdbcTemplate jdbc, ObjectProvider<Clock> clock) {
        return new InputAccessGate(jdbc, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    PolicyService policies(JdbcTemplate jdbc, DomainCatalog domains, ProductCatalog products, AuditStore audit,
                           ObjectProvider<CurrentActor> actor, PlatformTransactionManager transactions,
                           ObjectProvider<Clock> clock, InputAccessGate inputs, ImpactAnalysis impact) {
        CurrentActor noActor = Optional::empty;
        return new PolicyService(jdbc, new PolicyCompiler(), domains, products, audit,
                actor.getIfAvailable(() -> noActor), new TransactionTemplate(transactions),
                clock.getIfAvailable(Clock::systemUTC), Duration.ofSeconds(1), inputs, impact);
    }

    /** What a change affects downstream, for dry runs and evaluations. */
    @Bean
    ImpactAnalysis impactAnalysis(ProductCatalog products, JdbcTemplate jdbc, ObjectProvider<Clock> clock) {
        return new ImpactAnalysis(products, new AccessStore(jdbc), clock.getIfAvailable(Clock::systemUTC));
    }

    /** Installs the shipped defaults once every bean (the database migrations among them) is ready. */
    @Bean
    SmartInitializingSingleton defaultPolicies(PolicyService policies, GovernanceProperties properties) {
        return () -> {
            if (properties.installDefaultPolicies()) {
                policies.installDefaults();
            }
        };
    }

    @Bean
    SharedKeys servingKeys(JdbcTemplate jdbc, GovernanceProperties properties, ObjectProvider<Clock> clock) {
        return new SharedKeys(jdbc, properties, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    AccessService access(JdbcTemplate jdbc, PolicyService policies, ProductCatalog products, AuditStore audit,
                         InputAccessGate inputs, PlatformTransactionManager transactions,
                         GovernanceProperties properties, SharedKeys keys, ObjectProvider<Clock> clock,
                         ObjectProvider<MeterRegistry> meters, org.springframework.context.ApplicationEventPublisher events) {
        return new AccessService(jdbc, policies, products, audit, inputs, new TransactionTemplate(transactions),
                properties, keys, clock.getIfAvailable(Clock::systemUTC), meters.getIfAvailable(SimpleMeterRegistry::new),
                events);
    }
}
