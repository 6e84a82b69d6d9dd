package dev.meshplatform.governance.api;

import java.time.Instant;
import java.util.List;

/** An access request and what became of it; {@code grantId} is set once approved. */
public record AccessRequestView(String id, String domain, String product, String requesterDomain,
                                String requestedBy, String purpose, List<String> columns, String duration,
                                String justification, Status status, String decidedBy, Instant decidedAt,
                                String decisionReason, String grantId, Instant createdAt) {

    public enum Status {
        PENDING, APPROVED, REJECTED
    }
}
