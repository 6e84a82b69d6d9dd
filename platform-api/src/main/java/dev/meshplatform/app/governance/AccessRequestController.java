package dev.meshplatform.app.governance;

import dev.meshplatform.app.security.CurrentPrincipal;
import dev.meshplatform.app.web.PageResponse;
import dev.meshplatform.governance.api.Access;
import dev.meshplatform.governance.api.AccessRequestSpec;
import dev.meshplatform.governance.api.AccessRequestView;
import dev.meshplatform.governance.api.Approval;
import dev.meshplatform.governance.api.GovernanceException;
import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.util.List;

@RestController
@RequestMapping("/api/v1/domains/{domain}/products/{product}/access-requests")
@Tag(name = "Governance")
class AccessRequestController {

    private final Access access;
    private final ProductCatalog products;

    AccessRequestController(Access access, ProductCatalog products) {
        this.access = access;
        this.products = products;
    }

    @PostMapping
    @PreAuthorize("@authz.requestAccess(#domain)")
    @Operation(operationId = "requestAccess", summary = "Ask for access to another domain's product",
            description = "Purpose (lower-kebab), the columns wanted (all when empty) and an ISO-8601 duration (at "
                    + "most mesh.governance.max-grant-duration). The owning domain's owners approve or reject it; "
                    + "an approval is a grant for the asking domain. Owners, members and consumers of other domains.")
    @ApiResponse(responseCode = "201", description = "Pending")
    ResponseEntity<AccessRequestView> request(@PathVariable String domain, @PathVariable String product,
                                              @Valid @RequestBody AccessRequestSpec spec) {
        AccessRequestView created = access.request(domain, product, spec, CurrentPrincipal.get());
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(created.id()).toUri()).body(created);
    }

    @GetMapping
    @Operation(operationId = "listAccessRequests", summary = "Access requests for a product, newest first",
            description = "Admins and the owning domain see all; other domains their own requests.")
    PageResponse<AccessRequestView> list(@PathVariable String domain, @PathVariable String product) {
        boolean all = seesAllOf(domain);
        // A product that does not exist (for other domains: is not released) is a 404, not an empty list.
        products.getProduct(domain, product, !all);
        return PageResponse.all(access.requests(domain, product, all ? null : CurrentPrincipal.get().domain()));
    }

    @GetMapping("/{requestId}")
    @Operation(operationId = "getAccessRequest", summary = "One access request and its decision",
            description = "Its purpose, columns, duration, state and, once decided, who decided and the grant it "
                    + "created. The requesting domain, the owning domain and admins see it.")
    AccessRequestView get(@PathVariable String domain, @PathVariable String product,
                          @PathVariable String requestId) {
        AccessRequestView request = access.getRequest(domain, product, requestId);
        if (!seesAllOf(domain) && !CurrentPrincipal.get().belongsTo(request.requesterDomain())) {
            throw new GovernanceException(GovernanceException.Reason.NOT_FOUND, "access-request-not-found",
                    "there is no access request " + requestId + " for " + domain + "/" + product);
        }
        return request;
    }

    private static boolean seesAllOf(String domain) {
        MeshPrincipal principal = CurrentPrincipal.get();
        return principal.isAdmin() || principal.belongsTo(domain) && principal.role() != Role.CONSUMER;
    }

    @PostMapping("/{requestId}/approve")
    @PreAuthorize("@authz.decideAccess(#domain)")
    @Operation(operationId = "approveAccessRequest", summary = "Approve a pending request: grant access",
            description = "Optionally with row filters (column:op:value; op eq, ne, lt, le, gt, ge, in with values "
                    + "separated by |, is_null, not_null) that limit every read under the grant, and a shorter "
                    + "duration. The owning domain's owners, admins.")
    AccessRequestView approve(@PathVariable String domain, @PathVariable String product,
                              @PathVariable String requestId, @Valid @RequestBody Approval approval) {
        return access.approve(domain, product, requestId, approval, CurrentPrincipal.get());
    }

    record Rejection(@Size(max = 2000) String reason) {
    }

    @PostMapping("/{requestId}/reject")
    @PreAuthorize("@authz.decideAccess(#domain)")
    @Operation(operationId = "rejectAccessRequest", summary = "Reject a pending request",
            description = "Ends a pending request with a reason the requester sees; no grant is created. The owning "
                    + "domain's owners and admins.")
    AccessRequestView reject(@PathVariable String domain, @PathVariable String product,
                             @PathVariable String requestId, @Valid @RequestBody Rejection rejection) {
        return access.reject(domain, product, requestId, rejection.reason(), CurrentPrincipal.get());
    }
}
