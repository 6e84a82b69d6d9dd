package dev.meshplatform.app.notifications;

import dev.meshplatform.governance.api.NotificationOutbox;
import dev.meshplatform.governance.api.NotificationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.TaskScheduler;

import java.time.Clock;

/** The webhook address check and the delivery loop. */
@Configuration(proxyBeanMethods = false)
class NotificationConfiguration {

    @Bean
    WebhookAddresses webhookAddresses(NotificationProperties properties, Environment environment) {
        // The port the server listens on is known once it started; until then, the configured one.
        return new WebhookAddresses(properties.allowedNetworks(), () -> environment.getProperty("local.server.port",
                Integer.class, environment.getProperty("server.port", Integer.class, 8080)));
    }

    @Bean
    WebhookDeliveries webhookDeliveries(TaskScheduler scheduler, NotificationOutbox outbox, WebhookAddresses addresses,
                                        NotificationProperties properties, Clock clock) {
        return new WebhookDeliveries(scheduler, outbox, addresses, properties, clock);
    }
}
