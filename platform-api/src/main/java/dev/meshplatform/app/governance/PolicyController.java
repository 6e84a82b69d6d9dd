package dev.meshplatform.app.governance;

import dev.meshplatform.app.security.CurrentPrincipal;
import dev.meshplatform.app.web.ETags;
import dev.meshplatform.app.products.StandardDocumentSchemas;
import dev.meshplatform.app.web.PageResponse;
import dev.meshplatform.app.web.ProductAddress;
import dev.meshplatform.governance.api.Policies;
import dev.meshplatform.governance.api.PolicyKind;
import dev.meshplatform.governance.api.PolicySpec;
import dev.meshplatform.governance.api.PolicyView;
import dev.meshplatform.registry.api.OdcsContracts;
import dev.meshplatform.registry.api.OdpsProducts;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.RegistryException;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.springframework.http.HttpStatus;
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

import java.util.List;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/policies")
@Tag(name = "Governance")
class PolicyController {

    private final Policies policies;
    private final OdcsContracts contracts;
    private final OdpsProducts dataProducts;

    PolicyController(Policies policies, OdcsContracts contracts, OdpsProducts dataProducts) {
        this.policies = policies;
        this.contracts = contracts;
        this.dataProducts = dataProducts;
    }

    @GetMapping
    @Operation(operationId = "listPolicies", summary = "Policies: global ones and the domains'",
            description = "domain: only the global policies and that domain's; kind: GATE, ACCESS or MASK. Everyone "
                    + "may read the rules they are governed by.")
    PageResponse<PolicyView> list(@RequestParam(required = false) String domain,
                                  @RequestParam(required = false) PolicyKind kind) {
        return PageResponse.all(policies.list(domain, kind));
    }

    @GetMapping("/{policyId}")
    @Operation(operationId = "getPolicy", summary = "One policy at its current revision (ETag)",
            description = "The policy's rule, kind, scope and current revision; send the ETag back as If-Match to "
                    + "change it. Anyone with a key may read policies.")
    ResponseEntity<PolicyView> get(@PathVariable String policyId) {
        PolicyView policy = policies.get(policyId);
        return ResponseEntity.ok().eTag(ETags.of(policy.revision())).body(policy);
    }

    @PutMapping("/{policyId}")
    @PreAuthorize("@authz.managePolicies(#spec.domain()) and @authz.managePolicy(#policyId)")
    @Operation(operationId = "savePolicy", summary = "Create or change a policy",
            description = "The expression is CEL, type-checked against the kind's declared variables before "
                    + "anything is stored: a misspelled field, an unknown function or a result of the wrong type "
                    + "answers 400 policy-invalid with each error and its position. Global policies (no domain): "
                    + "platform admins; a domain's policies: its owners. Each change is a new revision in the "
                    + "policy's history and in the audit log. If-Match guards against lost updates.")
    @ApiResponse(responseCode = "200", description = "Changed (or unchanged)")
    @ApiResponse(responseCode = "201", description = "Created")
    ResponseEntity<PolicyView> save(@PathVariable String policyId, @Valid @RequestBody PolicySpec spec,
                                    @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        boolean exists = policies.find(policyId).isPresent();
        PolicyView saved = policies.save(policyId, spec, ETags.expectedRevision(ifMatch), CurrentPrincipal.get());
        return ResponseEntity.status(exists ? HttpStatus.OK : HttpStatus.CREATED).eTag(ETags.of(saved.revision()))
                .body(saved);
    }

    @DeleteMapping("/{policyId}")
    @PreAuthorize("@authz.managePolicy(#policyId)")
    @Operation(operationId = "deletePolicy", summary = "Delete a policy; its history stays",
            description = "Stops the policy from applying to new decisions. Its revisions stay in its history and "
                    + "in the audit log. Admins for global policies, the domain's owners for their own.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    ResponseEntity<Void> delete(@PathVariable String policyId,
                                @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        policies.delete(policyId, ETags.expectedRevision(ifMatch), CurrentPrincipal.get());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{policyId}/history")
    @Operation(operationId = "policyHistory", summary = "Every revision of a policy, newest first",
            description = "Every saved revision, newest first, with who saved it and when: what governance decided "
                    + "under is never lost.")
    PageResponse<PolicyView> history(@PathVariable String policyId) {
        return PageResponse.all(policies.history(policyId));
    }

    /**
     * What to evaluate: the stored version, or one of a descriptor, an ODCS contract or an ODPS + ODCS bundle (as a
     * CI pipeline holds it in git) read as the apply would read it.
     *
     * @param descriptor the descriptor to check instead of the stored version (before applying it); optional
     * @param contract   an ODCS document to check instead, as PUT …/versions/{version}/contract reads it; optional
     * @param bundle     an ODPS document and its ODCS contract, as PUT …/versions/{version}/bundle reads them; optional
     */
    record EvaluationRequest(@NotBlank String domain, @NotBlank String product, @NotBlank String version,
                             @Valid ProductDescriptor descriptor,
                             @Schema(ref = StandardDocumentSchemas.ODCS_REF) JsonNode contract,
                             @Schema(ref = StandardDocumentSchemas.BUNDLE_REF) JsonNode bundle) {
    }

    /** The gate's verdicts and, for a document sent, what of it the platform ignored or keeps only. */
    record Evaluation(@JsonUnwrapped Policies.GateEvaluation evaluation,
                      @Schema(description = "for a contract or bundle sent: one line each, with the document's path, "
                              + "of the fields the server owns (ignored) and those the platform keeps only")
                      List<String> importWarnings) {
    }

    @PostMapping("/evaluate")
    @PreAuthorize("@authz.applyIn(#request.domain())")
    @Operation(operationId = "evaluatePolicies", summary = "The publish gate's verdicts, changing nothing",
            description = "Every enabled GATE policy's verdict for a product version, as a transition to PUBLISHED "
                    + "would see them (the same verdicts as apply with dryRun=true): for a CI pipeline gating a "
                    + "merge on publishable. Checks the stored version, or what is sent: a descriptor, an ODCS "
                    + "contract, or a bundle of an ODPS document and its ODCS contract (at most one of them). A "
                    + "document the platform cannot honour answers 400 validation-failed, each error's field its "
                    + "path in the request (contract.schema[0]…, bundle[1].schema[0]…).")
    Evaluation evaluate(@Valid @RequestBody EvaluationRequest request) {
        int sent = (request.descriptor() == null ? 0 : 1) + (request.contract() == null ? 0 : 1)
                + (request.bundle() == null ? 0 : 1);
        if (sent > 1) {
            throw RegistryException.invalid("send one of descriptor, contract or bundle", List.of(
                    new RegistryException.FieldProblem("descriptor", "at most one of descriptor, contract, bundle")));
        }
        if (request.contract() == null && request.bundle() == null) {
            return new Evaluation(policies.evaluate(request.domain(), request.product(), request.version(),
                    request.descriptor()), null);
        }
        ProductAddress.check(request.product(), request.version());
        String at = request.contract() != null ? "contract." : "bundle";
        OdcsContracts.Imported imported = placed(at, () -> request.contract() != null
                ? contracts.read(request.contract(), request.domain(), request.product(), request.version())
                : dataProducts.readBundle(request.bundle(), request.domain(), request.product(), request.version()));
        // The descriptor's checks name its fields; the caller reads them in the documents it sent.
        return new Evaluation(placed(at, () -> {
            try {
                return policies.evaluate(request.domain(), request.product(), request.version(),
                        imported.descriptor());
            } catch (RegistryException refused) {
                throw imported.inDocuments(refused);
            }
        }), imported.warnings());
    }

    /** What reads the documents of the request, its refusals' paths placed in the request. */
    private static <T> T placed(String at, Supplier<T> reading) {
        try {
            return reading.get();
        } catch (RegistryException e) {
            if (e.fieldProblems().isEmpty()) {
                throw e;
            }
            throw RegistryException.invalid(e.getMessage(), e.fieldProblems().stream()
                    .map(p -> new RegistryException.FieldProblem(p.field().equals("$")
                            ? at.substring(0, at.length() - (at.endsWith(".") ? 1 : 0)) : at + p.field(),
                            p.message()))
                    .toList());
        }
    }
}
