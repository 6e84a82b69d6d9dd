package dev.meshplatform.app.keys;

import dev.meshplatform.registry.api.Role;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Instant;

/**
 * The body of {@code POST /api/v1/api-keys}.
 *
 * @param domain    the key's domain; absent for PLATFORM_ADMIN keys
 * @param expiresAt when the key stops working; never when absent
 */
record IssueKeyRequest(@NotBlank @Size(max = 200) String name,
                       @NotNull Role role,
                       @Size(max = 63) String domain,
                       @Future Instant expiresAt) {
}
