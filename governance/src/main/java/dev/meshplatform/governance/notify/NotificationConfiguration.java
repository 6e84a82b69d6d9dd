package dev.meshplatform.governance.notify;

import dev.meshplatform.governance.api.Access;
import dev.meshplatform.governance.api.NotificationProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;

/** Webhook subscriptions, their outbox and the scan for grants about to expire. */
@AutoConfiguration(afterName = {"dev.meshplatform.governance.policy.GovernanceConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration"})
@EnableConfigurationProperties(NotificationProperties.class)
class NotificationConfiguration {

    @Bean
    NotificationService notifications(JdbcTemplate jdbc, PlatformTransactionManager transactions,
                                      NotificationProperties properties, ObjectProvider<Clock> clock) {
        return new NotificationService(jdbc, new TransactionTemplate(transactions), properties,
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    GrantExpiryScan grantExpiryScan(TaskScheduler scheduler, JdbcTemplate jdbc,
                                    PlatformTransactionManager transactions, Access access,
                                    ApplicationEventPublisher events, NotificationProperties properties,
                                    ObjectProvider<Clock> clock) {
        return new GrantExpiryScan(scheduler, jdbc, new TransactionTemplate(transactions), access, events, properties,
                clock.getIfAvailable(Clock::systemUTC));
    }
}
