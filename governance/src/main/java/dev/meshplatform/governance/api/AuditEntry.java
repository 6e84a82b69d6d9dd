package dev.meshplatform.governance.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One line of the audit log: a decision (allowed or denied) or a change to a policy, request or grant.
 * {@code READ_INPUT} is a run's reading of another domain's product: its actor is the run, its domain and product
 * those of the product read, its subject the reading product.
 *
 * @param sequence the entry's place in the log, increasing
 * @param outcome  ALLOWED or DENIED for decisions, null for changes
 * @param masks    column → mask, for reads that masked columns
 */
public record AuditEntry(long sequence, Instant at, String actor, String actorRole, String actorDomain,
                         Action action, String domain, String product, String subject, String outcome,
                         String reason, List<String> policies, Map<String, String> masks) {

    public enum Action {
        READ_DATA, READ_INPUT, REQUEST_ACCESS, APPROVE_REQUEST, REJECT_REQUEST, REVOKE_GRANT, PUBLISH_GATE, SAVE_POLICY,
        DELETE_POLICY
    }
}
