package dev.meshplatform.app.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;

/**
 * Settings of the {@code mesh.security} area; docs/configuration.md describes each.
 *
 * @param bootstrapAdminKey     an admin key accepted as given (from a secret store); when unset and no admin key
 *                              exists, one is generated and written to {@code bootstrapAdminKeyFile}
 * @param bootstrapAdminKeyFile where a generated bootstrap admin key is written, readable by its owner only;
 *                              {@code <mesh.storage.data-dir>/bootstrap-admin-key} when unset
 * @param maxRequestBodySize    larger request bodies are refused with 413
 * @param jwt                   how claims of an OAuth2 JWT map to a principal, when a JWT issuer is configured
 * @param maxStreamedResponses  response bodies streamed at the same time (governed reads' pages), each on a thread
 *                              of its own; one more is refused with 503 before anything is read
 */
@Validated
@ConfigurationProperties("mesh.security")
public record MeshSecurityProperties(
        String bootstrapAdminKey,
        Path bootstrapAdminKeyFile,
        @DefaultValue("1MB") DataSize maxRequestBodySize,
        @DefaultValue Jwt jwt,
        @DefaultValue("200") @Min(1) @Max(10_000) int maxStreamedResponses) {

    /**
     * @param roleClaim   the claim holding the role: PLATFORM_ADMIN, DOMAIN_OWNER, DOMAIN_MEMBER or CONSUMER
     * @param domainClaim the claim holding the caller's domain (absent for admins)
     */
    public record Jwt(@DefaultValue("mesh_role") String roleClaim,
                      @DefaultValue("mesh_domain") String domainClaim) {
    }

    /** Where the generated bootstrap admin key lives. */
    public Path keyFileIn(MeshStorageProperties storage) {
        return bootstrapAdminKeyFile != null ? bootstrapAdminKeyFile : storage.dataDir().resolve("bootstrap-admin-key");
    }

    @Override
    public String toString() {
        return "MeshSecurityProperties[bootstrapAdminKey=" + (bootstrapAdminKey == null ? "unset" : "****")
                + ", bootstrapAdminKeyFile=" + bootstrapAdminKeyFile + ", maxRequestBodySize=" + maxRequestBodySize
                + ", jwt=" + jwt + ", maxStreamedResponses=" + maxStreamedResponses + "]";
    }
}
