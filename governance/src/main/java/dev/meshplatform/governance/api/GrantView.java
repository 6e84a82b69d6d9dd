package dev.meshplatform.governance.api;

import java.time.Instant;
import java.util.List;

/**
 * Access of one domain (every principal of it) to one product, until it expires or is revoked.
 *
 * @param columns    the columns granted; all when empty
 * @param rowFilters conditions on every row served under the grant ({@link Approval#rowFilters()})
 */
public record GrantView(String id, String domain, String product, String granteeDomain, String purpose,
                        List<String> columns, List<String> rowFilters, String requestId, String approvedBy,
                        Instant createdAt, Instant expiresAt, String revokedBy, Instant revokedAt, Status status) {

    public enum Status {
        ACTIVE, EXPIRED, REVOKED
    }
}
