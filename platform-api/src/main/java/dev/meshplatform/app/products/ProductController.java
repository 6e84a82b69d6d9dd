package dev.meshplatform.app.products;

import dev.meshplatform.app.connections.KafkaAccess;
import dev.meshplatform.app.connections.ProductResourceNames;
import dev.meshplatform.app.connections.ProductResources;
import dev.meshplatform.app.security.CurrentPrincipal;
import dev.meshplatform.app.security.MeshAuthorization;
import dev.meshplatform.app.web.DeprecationHeaders;
import dev.meshplatform.app.web.ETags;
import dev.meshplatform.app.web.PageResponse;
import dev.meshplatform.app.web.ProductAddress;
import dev.meshplatform.registry.api.ApplyOutcome;
import dev.meshplatform.registry.api.HealthCatalog;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.OdcsContracts;
import dev.meshplatform.registry.api.OdpsProducts;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.ProductHealth;
import dev.meshplatform.registry.api.ProductQuery;
import dev.meshplatform.registry.api.ProductSummary;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.RegistryException;
import dev.meshplatform.registry.api.SemanticVersion;
import dev.meshplatform.registry.api.SloState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/**
 * The product catalog and the apply/transition workflow, a version's output port contract as an ODCS document
 * included. Consumers see released versions only; a draft they ask for does not exist for them (404), so drafts do
 * not leak.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Products")
class ProductController {

    private static final String YAML = "application/yaml";

    private final ProductCatalog products;
    private final ProductResourceNames resourceNames;
    private final MeshAuthorization authz;
    private final OdcsContracts contracts;
    private final OdpsProducts dataProducts;
    private final KafkaAccess kafka;
    private final LastRunResults lastRun;
    private final HealthCatalog healths;

    ProductController(ProductCatalog products, ProductResourceNames resourceNames, MeshAuthorization authz,
                      OdcsContracts contracts, OdpsProducts dataProducts, KafkaAccess kafka,
                      LastRunResults lastRun, HealthCatalog healths) {
        this.products = products;
        this.resourceNames = resourceNames;
        this.authz = authz;
        this.contracts = contracts;
        this.dataProducts = dataProducts;
        this.kafka = kafka;
        this.lastRun = lastRun;
        this.healths = healths;
    }

    @GetMapping("/products")
    @Operation(operationId = "searchProducts", summary = "Search the product catalog",
            description = "Filters combine: domain, tag, lifecycle status of any version, free text over name, "
                    + "title and description, and health (the worst SLO state over the served majors); sort=HEALTH "
                    + "puts the worst first.")
    PageResponse<ProductSummary> search(@RequestParam(required = false) String domain,
                                        @RequestParam(required = false) String tag,
                                        @RequestParam(required = false) LifecycleStatus status,
                                        @RequestParam(required = false) @Parameter(description = "free text") String q,
                                        @RequestParam(required = false) @Parameter(description = "the product's "
                                                + "worst SLO state over its served majors") SloState health,
                                        @RequestParam(defaultValue = "NAME") @Parameter(description = "NAME (domain, "
                                                + "then product) or HEALTH (worst first, then by name)")
                                        ProductQuery.Sort sort,
                                        @RequestParam(defaultValue = "0") @Min(0) int page,
                                        @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        boolean releasedOnly = !MeshAuthorization.seesDrafts(CurrentPrincipal.get());
        return PageResponse.of(products.search(new ProductQuery(domain, tag, status, q, releasedOnly, health, sort,
                page, size)));
    }

    @GetMapping("/domains/{domain}/products")
    @Operation(operationId = "listDomainProducts", summary = "List a domain's products",
            description = "Each product with its newest version's summary, a page at a time, optionally by tag or "
                    + "status. Drafts only for the domain's own callers and admins.")
    PageResponse<ProductSummary> listInDomain(@PathVariable String domain,
                                              @RequestParam(required = false) String tag,
                                              @RequestParam(required = false) LifecycleStatus status,
                                              @RequestParam(required = false) String q,
                                              @RequestParam(required = false) SloState health,
                                              @RequestParam(defaultValue = "NAME") ProductQuery.Sort sort,
                                              @RequestParam(defaultValue = "0") @Min(0) int page,
                                              @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        return search(domain, tag, status, q, health, sort, page, size);
    }

    @GetMapping("/domains/{domain}/products/{product}")
    @Operation(operationId = "getProduct", summary = "Read a product: its newest version's summary and its versions",
            description = "The newest version's summary and every version with its status. Drafts only for the "
                    + "domain's own callers and admins; they also get each served major's topics and tables.")
    ProductDetail getProduct(@PathVariable String domain, @PathVariable String product) {
        ProductSummary summary = products.getProduct(domain, product,
                !MeshAuthorization.seesDrafts(CurrentPrincipal.get()));
        return new ProductDetail(summary, authz.operateIn(domain) ? resourceNames.ofProduct(domain, product) : null);
    }

    @GetMapping("/domains/{domain}/products/{product}/health")
    @Operation(operationId = "getProductHealth", summary = "Read a product's health: the state of each SLO",
            description = "For each served major whose newest served version declares slos: each SLO's target, "
                    + "observed value, state (MET, AT_RISK, BREACHED), since when, the last evaluation, and the "
                    + "transitions, newest first (at most limit per major, those at or after since). The rules are "
                    + "in docs/health-and-lineage.md. Visible like the product.")
    HealthResponse health(@PathVariable String domain, @PathVariable String product,
                          @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
                          @Parameter(description = "only transitions at or after this time") Instant since,
                          @RequestParam(defaultValue = "20") @Min(1) @Max(200)
                          @Parameter(description = "transitions per major, newest first") int limit) {
        // Visible like the product: a product with drafts only does not exist for consumers.
        products.getProduct(domain, product, !MeshAuthorization.seesDrafts(CurrentPrincipal.get()));
        ProductHealth health = healths.health(domain, product, since, limit);
        return new HealthResponse(health, health.majors().isEmpty()
                ? "no served version of the product declares slos" : null);
    }

    /** @param note why there is nothing to show, when there is not */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HealthResponse(@JsonUnwrapped ProductHealth health,
                          @Schema(description = "why there is nothing to show, when there is not") String note) {
    }

    /**
     * A product's summary and, for its own domain's team and admins, the topics and tables of its served majors.
     *
     * @param resources null for callers outside the domain: they read through the data endpoint
     */
    record ProductDetail(@JsonUnwrapped ProductSummary summary,
                         @Schema(description = "the topics and tables of each served major; only for the domain's "
                                 + "owners and members and admins") List<ProductResources> resources) {
    }

    @GetMapping(value = "/domains/{domain}/products/{product}/versions",
            produces = {MediaType.APPLICATION_JSON_VALUE, YAML})
    @Operation(operationId = "listVersions", summary = "List a product's versions, newest first",
            description = "Every version with its status, newest first, as JSON or YAML. Drafts only for the "
                    + "domain's own callers and admins.")
    PageResponse<ProductVersionView> versions(@PathVariable String domain, @PathVariable String product) {
        List<ProductVersionView> versions = products.versions(domain, product,
                !MeshAuthorization.seesDrafts(CurrentPrincipal.get()));
        if (versions.isEmpty()) {
            throw RegistryException.notFound("product-not-found", "product " + domain + "/" + product
                    + " does not exist");
        }
        return PageResponse.all(versions);
    }

    @GetMapping(value = "/domains/{domain}/products/{product}/versions/{version}",
            produces = {MediaType.APPLICATION_JSON_VALUE, YAML})
    @Operation(operationId = "getVersion", summary = "Read a version: descriptor, status and timestamps",
            description = "Answers JSON or YAML (Accept: application/yaml). The ETag is the version's revision.")
    ResponseEntity<ProductVersionView> version(@PathVariable String domain, @PathVariable String product,
                                               @PathVariable String version) {
        ProductVersionView view = visibleVersion(domain, product, version);
        return read(view).body(view);
    }

    @GetMapping(value = "/domains/{domain}/products/{product}/versions/{version}/descriptor",
            produces = {MediaType.APPLICATION_JSON_VALUE, YAML})
    @Operation(operationId = "getDescriptor", summary = "Read a version's descriptor alone",
            description = "Exactly what was applied, in JSON or YAML: apply it again and nothing changes.")
    ResponseEntity<ProductDescriptor> descriptor(@PathVariable String domain, @PathVariable String product,
                                                 @PathVariable String version) {
        ProductVersionView view = visibleVersion(domain, product, version);
        return read(view).body(view.descriptor());
    }

    @PutMapping(value = "/domains/{domain}/products/{product}/versions/{version}",
            consumes = {MediaType.APPLICATION_JSON_VALUE, YAML, "application/x-yaml", "text/yaml"},
            produces = {MediaType.APPLICATION_JSON_VALUE, YAML})
    @PreAuthorize("@authz.applyIn(#domain)")
    @Operation(operationId = "applyVersion", summary = "Apply a whole descriptor to a version (idempotent)",
            description = "Creates the version as a DRAFT (201) or replaces it while it is a draft (200). The same "
                    + "descriptor twice changes nothing (result UNCHANGED). A released version answers 409 to a "
                    + "change. With dryRun=true nothing is stored: the answer lists the changes and every publish "
                    + "verdict. Send JSON or YAML. Domain owners and members (drafts only) and admins.")
    @ApiResponse(responseCode = "201", description = "Created as a DRAFT")
    @ApiResponse(responseCode = "200", description = "Updated, unchanged, or the answer of a dry run")
    ResponseEntity<ApplyOutcome> apply(@PathVariable String domain, @PathVariable String product,
                                       @PathVariable String version,
                                       @RequestParam(defaultValue = "false") boolean dryRun,
                                       @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                       @RequestBody ProductDescriptor descriptor) {
        Applied applied = applied(domain, product, version, dryRun, ifMatch, descriptor);
        return applied.response().body(applied.outcome());
    }

    /** What an apply did, and the answer's status and ETag: one path for descriptors and ODCS documents. */
    private record Applied(ApplyOutcome outcome, ResponseEntity.BodyBuilder response) {
    }

    private Applied applied(String domain, String product, String version, boolean dryRun, String ifMatch,
                            ProductDescriptor descriptor) {
        ApplyOutcome outcome = products.apply(domain, product, version, descriptor, ETags.expectedRevision(ifMatch),
                dryRun);
        HttpStatus status = outcome.result() == ApplyOutcome.Result.CREATED && !dryRun ? HttpStatus.CREATED
                : HttpStatus.OK;
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
        if (!dryRun) {
            response.eTag(ETags.of(outcome.version().revision()));
        }
        return new Applied(outcome, response);
    }

    @GetMapping(value = "/domains/{domain}/products/{product}/versions/{version}/contract",
            produces = {YAML, MediaType.APPLICATION_JSON_VALUE})
    @Operation(operationId = "getContract", summary = "Read a version's output port contract as an ODCS document",
            description = "The version's contract as an Open Data Contract Standard (ODCS) v3.1.0 document: the "
                    + "descriptor mapped field by field, the status (draft, active, deprecated, retired) and the "
                    + "servers (the product's Kafka topic when it has a Kafka input, its Iceberg table). YAML by "
                    + "default, JSON with Accept: application/json. What an imported document said that the platform "
                    + "only keeps comes back unchanged. The ETag is the version's revision. Drafts only for the "
                    + "domain's own callers and admins.")
    @ApiResponse(responseCode = "200", description = "The ODCS v3.1.0 document", content = {
            @Content(mediaType = YAML, schema = @Schema(ref = StandardDocumentSchemas.ODCS_REF)),
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(ref = StandardDocumentSchemas.ODCS_REF))})
    ResponseEntity<ObjectNode> contract(@PathVariable String domain, @PathVariable String product,
                                        @PathVariable String version,
                                        @RequestParam(defaultValue = "false") @Parameter(description = "add the "
                                                + "quality and SLA results of the major's last finished run, as "
                                                + "the custom property mesh.lastRun (then without an ETag: results "
                                                + "change while the version does not)") boolean results,
                                        @RequestParam(required = false) @Parameter(description = "a newer minor of "
                                                + "ODCS v3 (v3.2.0…) to answer in: the fields an import of that "
                                                + "version kept as custom properties are fields again; v3.1.0 when "
                                                + "absent") String odcsVersion) {
        ProductVersionView view = visibleVersion(domain, product, version);
        ObjectNode document = contracts.asVersion(contracts.export(domain, product, version, view.status(),
                view.descriptor(), kafka.bootstrapServers()), odcsVersion);
        if (!results) {
            return read(view).body(document);
        }
        lastRun.addTo(document, domain, product, SemanticVersion.parse(version).major(), view.descriptor());
        return ResponseEntity.ok().headers(DeprecationHeaders.of(view)).body(document);
    }

    @GetMapping(value = "/domains/{domain}/products/{product}/versions/{version}/data-product",
            produces = {YAML, MediaType.APPLICATION_JSON_VALUE})
    @Operation(operationId = "getDataProduct", summary = "Read a version as an ODPS document",
            description = "The version as an Open Data Product Standard (ODPS) v1.0.0 document: title, description, "
                    + "tags, team, support, input ports, custom properties, the status (draft, active, deprecated, "
                    + "retired) and its one output port, whose contract (contractId) is GET …/contract. YAML by "
                    + "default, JSON with Accept: application/json. What an imported document said that the platform "
                    + "only keeps comes back unchanged. The ETag is the version's revision. Drafts only for the "
                    + "domain's own callers and admins.")
    @ApiResponse(responseCode = "200", description = "The ODPS v1.0.0 document", content = {
            @Content(mediaType = YAML, schema = @Schema(ref = StandardDocumentSchemas.ODPS_REF)),
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(ref = StandardDocumentSchemas.ODPS_REF))})
    ResponseEntity<ObjectNode> dataProduct(@PathVariable String domain, @PathVariable String product,
                                           @PathVariable String version,
                                           @RequestParam(required = false) @Parameter(description = "a newer minor "
                                                   + "of ODPS v1 (v1.1.0…) to answer in: the fields an import of "
                                                   + "that version kept as custom properties are fields again; "
                                                   + "v1.0.0 when absent") String odpsVersion) {
        ProductVersionView view = visibleVersion(domain, product, version);
        return read(view).body(dataProducts.asVersion(dataProducts.export(domain, product, version, view.status(),
                view.descriptor()), odpsVersion));
    }

    @GetMapping(value = "/domains/{domain}/products/{product}/versions/{version}/bundle",
            produces = {YAML, MediaType.APPLICATION_JSON_VALUE})
    @Operation(operationId = "getBundle", summary = "Read a version as its ODPS document and ODCS contract",
            description = "A list of two documents: the version's ODPS v1.0.0 document (GET …/data-product) and the "
                    + "ODCS v3.1.0 contract of its output port (GET …/contract). PUT it back to …/bundle and the "
                    + "version stays the same. YAML by default, JSON with Accept: application/json. The ETag is the "
                    + "version's revision. Drafts only for the domain's own callers and admins.")
    @ApiResponse(responseCode = "200", description = "The ODPS document, then the ODCS contract", content = {
            @Content(mediaType = YAML, schema = @Schema(ref = StandardDocumentSchemas.BUNDLE_REF)),
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(ref = StandardDocumentSchemas.BUNDLE_REF))})
    ResponseEntity<ArrayNode> bundle(@PathVariable String domain, @PathVariable String product,
                                     @PathVariable String version) {
        ProductVersionView view = visibleVersion(domain, product, version);
        return read(view).body(dataProducts.exportBundle(domain, product, version, view.status(), view.descriptor(),
                kafka.bootstrapServers()));
    }

    @PutMapping(value = "/domains/{domain}/products/{product}/versions/{version}/bundle",
            consumes = {YAML, "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON_VALUE},
            produces = {MediaType.APPLICATION_JSON_VALUE, YAML})
    @PreAuthorize("@authz.applyIn(#domain)")
    @Operation(operationId = "importBundle", summary = "Apply a version from an ODPS document and its ODCS contract",
            description = "Takes a list of an Open Data Product Standard (ODPS) v1.0.0 document and the Open Data "
                    + "Contract Standard (ODCS) v3.x contract of its output port, in any order. The product document "
                    + "decides title, description, tags, team, support, input ports, the output port's name and "
                    + "description, and custom properties; the contract the schema, quality, SLAs, retention and the "
                    + "transformation. Then it is applied exactly as PUT …/versions/{version}: DRAFT created (201) or "
                    + "replaced (200), UNCHANGED when nothing differs, 409 for a released version, 422 when a publish "
                    + "gate or the breaking-change check refuses it; dryRun=true stores nothing and answers every "
                    + "verdict. importWarnings lists what was ignored or only kept, each path starting with the "
                    + "document's place in the list ([0], [1]); a bundle the platform cannot honour answers 400 "
                    + "validation-failed with those paths. Send YAML or JSON. Domain owners and members and admins.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "the ODPS document and the ODCS contract of "
            + "its output port", required = true, content = {
                    @Content(mediaType = YAML, schema = @Schema(ref = StandardDocumentSchemas.BUNDLE_REF)),
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(ref = StandardDocumentSchemas.BUNDLE_REF))})
    @ApiResponse(responseCode = "201", description = "Created as a DRAFT")
    @ApiResponse(responseCode = "200", description = "Updated, unchanged, or the answer of a dry run")
    ResponseEntity<ContractImport> importBundle(@PathVariable String domain, @PathVariable String product,
                                                @PathVariable String version,
                                                @RequestParam(defaultValue = "false") boolean dryRun,
                                                @RequestHeader(value = HttpHeaders.IF_MATCH, required = false)
                                                String ifMatch,
                                                @RequestBody JsonNode bundle) {
        ProductAddress.check(product, version);
        return appliedImport(domain, product, version, dryRun, ifMatch, dataProducts.readBundle(bundle, domain, product, version));
    }

    /** An imported descriptor applied; what the apply's checks refuse is named where the documents said it. */
    private ResponseEntity<ContractImport> appliedImport(String domain, String product, String version,
                                                         boolean dryRun, String ifMatch,
                                                         OdcsContracts.Imported imported) {
        Applied applied;
        try {
            applied = applied(domain, product, version, dryRun, ifMatch, imported.descriptor());
        } catch (RegistryException refused) {
            throw imported.inDocuments(refused);
        }
        return applied.response().body(new ContractImport(applied.outcome(), imported.warnings()));
    }

    /** A version read: its revision as the ETag, and a deprecated version's Deprecation and Sunset headers. */
    private static ResponseEntity.BodyBuilder read(ProductVersionView view) {
        return ResponseEntity.ok().eTag(ETags.of(view.revision())).headers(DeprecationHeaders.of(view));
    }

    @PutMapping(value = "/domains/{domain}/products/{product}/versions/{version}/contract",
            consumes = {YAML, "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON_VALUE},
            produces = {MediaType.APPLICATION_JSON_VALUE, YAML})
    @PreAuthorize("@authz.applyIn(#domain)")
    @Operation(operationId = "importContract", summary = "Apply a version from an ODCS document",
            description = "Reads an Open Data Contract Standard (ODCS) v3.x document into a descriptor and applies "
                    + "it exactly as PUT …/versions/{version} does: DRAFT created (201) or replaced (200), UNCHANGED "
                    + "when nothing differs, 409 for a released version, 422 when a publish gate or the "
                    + "breaking-change check refuses it; dryRun=true stores nothing and answers the changes and "
                    + "every verdict, so a CI pipeline gates a merge with it. What the server owns (status, servers, "
                    + "ids) is ignored, with a warning where the document says otherwise, and what the platform only "
                    + "keeps is stored; importWarnings lists both, with their paths. A document the platform cannot honour answers 400 validation-failed, each "
                    + "error's field the document's path. Send YAML or JSON. Domain owners and members and admins.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "an ODCS v3.x document", required = true,
            content = {
                    @Content(mediaType = YAML, schema = @Schema(ref = StandardDocumentSchemas.ODCS_REF)),
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(ref = StandardDocumentSchemas.ODCS_REF))})
    @ApiResponse(responseCode = "201", description = "Created as a DRAFT")
    @ApiResponse(responseCode = "200", description = "Updated, unchanged, or the answer of a dry run")
    ResponseEntity<ContractImport> importContract(@PathVariable String domain, @PathVariable String product,
                                                  @PathVariable String version,
                                                  @RequestParam(defaultValue = "false") boolean dryRun,
                                                  @RequestHeader(value = HttpHeaders.IF_MATCH, required = false)
                                                  String ifMatch,
                                                  @RequestBody JsonNode document) {
        ProductAddress.check(product, version);
        return appliedImport(domain, product, version, dryRun, ifMatch, contracts.read(document, domain, product, version));
    }

    /**
     * The answer to an ODCS or ODPS import: the apply's answer, and what of the documents the platform ignored or
     * keeps without acting on it.
     */
    record ContractImport(@JsonUnwrapped ApplyOutcome outcome,
                          @Schema(description = "one line each, with the document's path: fields the server owns "
                                  + "(ignored) and fields the platform keeps without acting on them")
                          List<String> importWarnings) {
    }

    @PostMapping("/domains/{domain}/products/{product}/versions/{version}/transitions")
    @PreAuthorize("@authz.ownerOf(#domain)")
    @Operation(operationId = "transitionVersion", summary = "Move a version along its lifecycle",
            description = "DRAFT → PUBLISHED → DEPRECATED → RETIRED; anything else answers 409. Publish gates are "
                    + "asked first: a blocking verdict answers 422 with every verdict. A move to DEPRECATED may "
                    + "announce a sunset date: readers of a deprecated version get Deprecation and Sunset headers. "
                    + "A RETIRED major stops landing and its data reads answer 410. With dryRun=true nothing moves: the "
                    + "answer has every verdict and the impact downstream (for a deprecation or retirement: the "
                    + "products that read the major and the domains holding grants). Domain owners and admins.")
    ResponseEntity<ProductCatalog.TransitionOutcome> transition(
            @PathVariable String domain, @PathVariable String product, @PathVariable String version,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestParam(defaultValue = "false") boolean dryRun,
            @Valid @RequestBody TransitionRequest request) {
        ProductCatalog.TransitionOutcome outcome = dryRun
                ? products.dryRunTransition(domain, product, version, request.to())
                : products.transition(domain, product, version, request.to(), request.sunset(),
                ETags.expectedRevision(ifMatch));
        return ResponseEntity.ok().eTag(ETags.of(outcome.version().revision())).body(outcome);
    }

    @DeleteMapping("/domains/{domain}/products/{product}/versions/{version}")
    @PreAuthorize("@authz.ownerOf(#domain)")
    @Operation(operationId = "deleteDraftVersion", summary = "Delete a draft version",
            description = "Only drafts can be deleted (409 otherwise); the product goes with its last version. "
                    + "Domain owners and admins.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    ResponseEntity<Void> delete(@PathVariable String domain, @PathVariable String product,
                                @PathVariable String version,
                                @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        products.deleteDraft(domain, product, version, ETags.expectedRevision(ifMatch));
        return ResponseEntity.noContent().build();
    }

    private ProductVersionView visibleVersion(String domain, String product, String version) {
        ProductVersionView view = products.getVersion(domain, product, version);
        if (!view.status().isReleased() && !MeshAuthorization.seesDrafts(CurrentPrincipal.get())) {
            throw RegistryException.notFound("version-not-found", "version " + version + " of " + domain + "/"
                    + product + " does not exist");
        }
        return view;
    }
}
