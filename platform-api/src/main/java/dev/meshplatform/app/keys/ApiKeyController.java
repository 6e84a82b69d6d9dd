package dev.meshplatform.app.keys;

import dev.meshplatform.app.security.CurrentPrincipal;
import dev.meshplatform.app.web.PageResponse;
import dev.meshplatform.registry.api.ApiKeyStore;
import dev.meshplatform.registry.api.ApiKeyView;
import dev.meshplatform.registry.api.IssuedApiKey;
import dev.meshplatform.registry.api.MeshPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "API keys")
class ApiKeyController {

    private final ApiKeyStore keys;

    ApiKeyController(ApiKeyStore keys) {
        this.keys = keys;
    }

    @PostMapping("/api-keys")
    @PreAuthorize("@authz.issueKey(#request.domain, #request.role)")
    @Operation(operationId = "issueApiKey", summary = "Issue an API key",
            description = "Admins issue any key; a domain's owners issue keys of their own domain (not admin keys). "
                    + "Roles: PLATFORM_ADMIN, DOMAIN_OWNER, DOMAIN_MEMBER, CONSUMER, and METRICS_READER, a "
                    + "Prometheus scraper's key (no domain; admins issue it) that may read /actuator/prometheus "
                    + "and nothing else. The answer holds the secret once: it is never stored or shown again.")
    @ApiResponse(responseCode = "201", description = "Issued; the secret is in the answer, once")
    ResponseEntity<IssuedApiKey> issue(@Valid @RequestBody IssueKeyRequest request) {
        IssuedApiKey issued = keys.issue(request.name(), request.role(), request.domain(), request.expiresAt(),
                CurrentPrincipal.get().name());
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(issued.key().id()).toUri()).body(issued);
    }

    @GetMapping("/api-keys")
    @PreAuthorize("@authz.listKeys(#domain)")
    @Operation(operationId = "listApiKeys", summary = "List API keys (never their secrets)",
            description = "Admins list all keys or one domain's; a domain's owners list their own domain's "
                    + "(domain is required for them).")
    PageResponse<ApiKeyView> list(@RequestParam(required = false) String domain,
                                  @RequestParam(defaultValue = "0") @Min(0) int page,
                                  @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        return PageResponse.of(keys.list(domain, page, size));
    }

    @GetMapping("/api-keys/{id}")
    @PreAuthorize("@authz.manageKey(#id)")
    @Operation(operationId = "getApiKey", summary = "Read an API key (never its secret)",
            description = "Its name, role, domain, creation, last use and revocation; the secret is shown once, "
                    + "when issued. Admins, and a domain's owners for their domain's keys.")
    ApiKeyView get(@PathVariable String id) {
        return keys.get(id);
    }

    @DeleteMapping("/api-keys/{id}")
    @PreAuthorize("@authz.manageKey(#id)")
    @Operation(operationId = "revokeApiKey", summary = "Revoke an API key",
            description = "The key stops working at once. Revoking twice is harmless.")
    ApiKeyView revoke(@PathVariable String id) {
        return keys.revoke(id);
    }

    @GetMapping("/me")
    @Operation(operationId = "whoAmI", summary = "Who the caller is: name, role and domain",
            description = "The caller as the platform sees it: name, role and domain. Any API caller; a quick check "
                    + "that a key works.")
    MeshPrincipal me() {
        return CurrentPrincipal.get();
    }
}
