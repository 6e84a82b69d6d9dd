package dev.meshplatform.app.keys;

import dev.meshplatform.registry.api.Role;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Instant;

/**
 * The body of {@code POST /api/v1/api-keys}.
 *
 * @param role      the key's role; METRICS_READER is a Prometheus scraper's, which reads /actuator/prometheus only
 * @param domain    the key's domain; absent for PLATFORM_ADMIN and METRICS_READER keys
 * @param expiresAt when the key stops working; never when absent
 */
record IssueKeyRequest(@NotBlank @Size(max = 200) String name,
                       // RUN is the platform's own and never a key's.
                       @Schema(allowableValues = {"PLATFORM_ADMIN", "DOMAIN_OWNER", "DOMAIN_MEMBER", "CONSUMER",
                               "METRICS_READER"}, description = "The key's role. METRICS_READER: a Prometheus "
                               + "scraper's key, without a domain, that may read /actuator/prometheus and nothing else")
                       @NotNull Role role,
                       @Schema(description = "The key's domain; absent for PLATFORM_ADMIN and METRICS_READER keys")
                       @Size(max = 63) String domain,
                       @Future Instant expiresAt) {
}
