package dev.meshplatform.governance.api;

import dev.meshplatform.registry.api.PageResult;

import java.time.Instant;

/** The append-only audit log: listed and filtered here, never changed or deleted. */
public interface AuditLog {

    /** Entries newest first. Every filter is optional. */
    PageResult<AuditEntry> list(AuditQuery query);

    record AuditQuery(String domain, String product, String actor, AuditEntry.Action action, String outcome,
                      Instant since, Instant until, int page, int size) {
    }
}
