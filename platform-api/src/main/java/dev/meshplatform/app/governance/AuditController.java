package dev.meshplatform.app.governance;

import dev.meshplatform.app.web.PageResponse;
import dev.meshplatform.governance.api.AuditEntry;
import dev.meshplatform.governance.api.AuditLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;

@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "Audit")
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping
    @PreAuthorize("@authz.readAudit(#domain)")
    @Operation(operationId = "listAudit", summary = "The audit log, newest first (read only: it cannot be changed)",
            description = "Every access decision (allowed or denied: who, what, when, which policies, why, which "
                    + "masks) and every policy, request and grant change. Admins read all; a domain's owners pass "
                    + "domain= and read their domain's entries. Filters: product, actor, action, outcome (ALLOWED, "
                    + "DENIED), since and until (ISO-8601).")
    PageResponse<AuditEntry> list(@RequestParam(required = false) String domain,
                                  @RequestParam(required = false) String product,
                                  @RequestParam(required = false) String actor,
                                  @RequestParam(required = false) AuditEntry.Action action,
                                  @RequestParam(required = false) String outcome,
                                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
                                  Instant since,
                                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
                                  Instant until,
                                  @RequestParam(defaultValue = "0") @Min(0) int page,
                                  @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        return PageResponse.of(audit.list(new AuditLog.AuditQuery(domain, product, actor, action, outcome, since,
                until, page, size)));
    }
}
