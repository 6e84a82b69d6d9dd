package dev.meshplatform.app.governance;

import dev.meshplatform.app.security.CurrentPrincipal;
import dev.meshplatform.app.web.PageResponse;
import dev.meshplatform.governance.api.Access;
import dev.meshplatform.governance.api.GovernanceException;
import dev.meshplatform.governance.api.GrantView;
import dev.meshplatform.registry.api.MeshPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/grants")
@Tag(name = "Governance")
class GrantController {

    private final Access access;

    GrantController(Access access) {
        this.access = access;
    }

    @GetMapping
    @Operation(operationId = "listGrants", summary = "Grants, newest first",
            description = "Admins see all; everyone else the grants on their domain's products and those their "
                    + "domain holds. domain: the owning domain; grantee: the holding domain; active: only grants "
                    + "neither expired nor revoked.")
    PageResponse<GrantView> list(@RequestParam(required = false) String domain,
                                 @RequestParam(required = false) String product,
                                 @RequestParam(required = false) String grantee,
                                 @RequestParam(defaultValue = "false") boolean active,
                                 @RequestParam(defaultValue = "0") @Min(0) int page,
                                 @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        MeshPrincipal principal = CurrentPrincipal.get();
        return PageResponse.of(access.grants(new Access.GrantQuery(domain, product, grantee,
                principal.isAdmin() ? null : principal.domain(), active, page, size)));
    }

    @GetMapping("/{grantId}")
    @Operation(operationId = "getGrant", summary = "One grant with its status: ACTIVE, EXPIRED or REVOKED",
            description = "Its columns, row filters, expiry and who approved it. The grantee domain, the owning "
                    + "domain and admins see it.")
    GrantView get(@PathVariable String grantId) {
        GrantView grant = access.grant(grantId);
        MeshPrincipal principal = CurrentPrincipal.get();
        if (!principal.isAdmin() && !principal.belongsTo(grant.domain()) && !principal.belongsTo(grant.granteeDomain())) {
            throw new GovernanceException(GovernanceException.Reason.NOT_FOUND, "grant-not-found",
                    "there is no grant " + grantId);
        }
        return grant;
    }

    record Revocation(@Size(max = 2000) String reason) {
    }

    @PostMapping("/{grantId}/revoke")
    @PreAuthorize("@authz.manageGrant(#grantId)")
    @Operation(operationId = "revokeGrant", summary = "Revoke a grant now",
            description = "Reads under it are refused from this moment. The granted product's domain owners, admins.")
    GrantView revoke(@PathVariable String grantId, @Valid @RequestBody Revocation revocation) {
        return access.revoke(grantId, revocation.reason(), CurrentPrincipal.get());
    }
}
