package dev.meshplatform.registry.api;

import java.time.Instant;

/**
 * Something the platform found about a version after it was applied, shown beside it in the catalog: e.g.
 * {@code sql-refused}, a published version whose SQL the sandbox's allowlist refuses now (its runs fail; the fix is a
 * new minor version).
 */
public record VersionFlag(String code, String message, Instant at) {
}
