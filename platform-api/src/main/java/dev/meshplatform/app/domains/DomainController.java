package dev.meshplatform.app.domains;

import dev.meshplatform.app.web.ETags;
import dev.meshplatform.app.web.PageResponse;
import dev.meshplatform.registry.api.DomainCatalog;
import dev.meshplatform.registry.api.DomainSpec;
import dev.meshplatform.registry.api.DomainView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping("/api/v1/domains")
@Tag(name = "Domains")
class DomainController {

    private final DomainCatalog domains;

    DomainController(DomainCatalog domains) {
        this.domains = domains;
    }

    @GetMapping
    @Operation(operationId = "listDomains", summary = "List domains", description = "Every caller may read the domains.")
    PageResponse<DomainView> list(@RequestParam(defaultValue = "0") @Min(0) int page,
                                  @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        return PageResponse.of(domains.list(page, size));
    }

    @PostMapping
    @PreAuthorize("@authz.admin()")
    @Operation(operationId = "createDomain", summary = "Create a domain", description = "Platform admins only.")
    @ApiResponse(responseCode = "201", description = "Created; Location and ETag name it")
    ResponseEntity<DomainView> create(@Valid @RequestBody CreateDomainRequest request) {
        DomainView created = domains.create(request.name(), request.spec());
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{name}")
                        .buildAndExpand(created.name()).toUri())
                .eTag(ETags.of(created.revision()))
                .body(created);
    }

    @GetMapping("/{domain}")
    @Operation(operationId = "getDomain", summary = "Read a domain",
            description = "Its title, owner team, contacts and revision; send the ETag back as If-Match to change "
                    + "it. Anyone with a key.")
    ResponseEntity<DomainView> get(@PathVariable String domain) {
        DomainView view = domains.get(domain);
        return ResponseEntity.ok().eTag(ETags.of(view.revision())).body(view);
    }

    @PutMapping("/{domain}")
    @PreAuthorize("@authz.ownerOf(#domain)")
    @Operation(operationId = "updateDomain", summary = "Update a domain",
            description = "Platform admins and the domain's owners. Send If-Match with the ETag you read to avoid "
                    + "overwriting a concurrent change.")
    ResponseEntity<DomainView> update(@PathVariable String domain, @Valid @RequestBody DomainSpec spec,
                                      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        DomainView view = domains.update(domain, spec, ETags.expectedRevision(ifMatch));
        return ResponseEntity.ok().eTag(ETags.of(view.revision())).body(view);
    }

    @DeleteMapping("/{domain}")
    @PreAuthorize("@authz.admin()")
    @Operation(operationId = "deleteDomain", summary = "Delete a domain without products",
            description = "Platform admins only. The domain's API keys are revoked with it.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    ResponseEntity<Void> delete(@PathVariable String domain,
                                @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        domains.delete(domain, ETags.expectedRevision(ifMatch));
        return ResponseEntity.noContent().build();
    }
}
