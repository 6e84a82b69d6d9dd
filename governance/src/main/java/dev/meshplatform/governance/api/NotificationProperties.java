package dev.meshplatform.governance.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the {@code mesh.notifications} area: webhook deliveries.
 *
 * @param allowedNetworks       CIDR ranges (such as {@code 10.20.0.0/16} or {@code 127.0.0.1/32}) that webhooks may
 *                              target although they are loopback, private, link-local or the platform's own
 *                              addresses; empty by default: only public addresses
 * @param source                the CloudEvents {@code source} of every event
 * @param deliveryInterval      how often each instance looks for notifications due
 * @param concurrency           deliveries in flight per instance (each webhook has at most one at a time)
 * @param connectTimeout        how long a delivery waits for the connection
 * @param requestTimeout        how long a delivery waits for the answer; an endpoint that holds the request longer
 *                              fails the attempt
 * @param maxAttempts           attempts before a notification is marked FAILED
 * @param retryBackoff          the wait after the first failed attempt; it doubles after each further one
 * @param maxRetryBackoff       the longest wait between two attempts
 * @param grantExpiryNotice     how long before a grant expires its domains are told (once per grant)
 * @param grantExpiryScanInterval how often an instance looks for grants about to expire; 0 turns it off
 * @param retention             how long delivered and failed notifications and the delivery log are kept
 */
@ConfigurationProperties("mesh.notifications")
public record NotificationProperties(
        @DefaultValue({}) List<String> allowedNetworks,
        @DefaultValue("urn:meshplatform") String source,
        @DefaultValue("1s") Duration deliveryInterval,
        @DefaultValue("4") int concurrency,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("8") int maxAttempts,
        @DefaultValue("10s") Duration retryBackoff,
        @DefaultValue("1h") Duration maxRetryBackoff,
        @DefaultValue("7d") Duration grantExpiryNotice,
        @DefaultValue("1h") Duration grantExpiryScanInterval,
        @DefaultValue("30d") Duration retention) {

    public NotificationProperties {
        allowedNetworks = allowedNetworks == null ? List.of() : List.copyOf(allowedNetworks);
        if (concurrency < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("mesh.notifications.concurrency and max-attempts must be at least 1");
        }
    }

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} failed ones. */
    public Duration backoffAfter(int attempt) {
        Duration wait = retryBackoff;
        for (int i = 1; i < attempt && wait.compareTo(maxRetryBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : wait;
    }
}
