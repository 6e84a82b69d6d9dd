package dev.meshplatform.governance.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Settings of the {@code mesh.governance} area.
 *
 * @param installDefaultPolicies install the shipped default policies on first start (each once: a default an admin
 *                               deleted or changed stays as the admin left it)
 * @param maxGrantDuration       the longest access a request may ask for or an approval may give
 * @param maskHashKey            the key of the HASH mask (HMAC-SHA256); empty means a plain SHA-256, which a
 *                               dictionary of likely values can reverse — set it in production
 * @param servingDefaultLimit    rows served per page when the caller does not say
 * @param servingMaxLimit        the most rows one page may ask for
 */
@ConfigurationProperties("mesh.governance")
public record GovernanceProperties(
        @DefaultValue("true") boolean installDefaultPolicies,
        @DefaultValue("365d") Duration maxGrantDuration,
        @DefaultValue("") String maskHashKey,
        @DefaultValue("1000") int servingDefaultLimit,
        @DefaultValue("1000000") int servingMaxLimit) {
}
