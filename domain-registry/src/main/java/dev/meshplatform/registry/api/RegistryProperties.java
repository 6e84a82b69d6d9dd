package dev.meshplatform.registry.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The registry's settings.
 *
 * @param retiredDataRetention how long a retired product major's data is kept when its descriptor declares no
 *                             {@code retention}; then its topics and tables are purged
 * @param purgeInterval        how often retired data whose retention is over is looked for; 0 turns purging off
 * @param health               the evaluation of product SLOs
 */
@Validated
@ConfigurationProperties("mesh.registry")
public record RegistryProperties(
        @DefaultValue("30d") @NotNull Duration retiredDataRetention,
        @DefaultValue("1h") @NotNull Duration purgeInterval,
        @DefaultValue @NotNull @Valid Health health) {

    /** @param evaluationInterval how often every served major's SLOs are evaluated; 0 turns evaluation off */
    public record Health(@DefaultValue("30s") @NotNull Duration evaluationInterval) {
    }
}
