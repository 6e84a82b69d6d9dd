package dev.meshplatform.app.lineage;

import dev.meshplatform.app.security.CurrentPrincipal;
import dev.meshplatform.app.security.MeshAuthorization;
import dev.meshplatform.registry.api.ColumnLineage;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.ProductSummary;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.RegistryException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Lineage")
@Validated
class LineageController {

    private final ProductCatalog products;
    private final LineageGraph graph;
    private final MeshAuthorization authz;

    LineageController(ProductCatalog products, LineageGraph graph, MeshAuthorization authz) {
        this.products = products;
        this.graph = graph;
        this.authz = authz;
    }

    @Schema(description = "A product's lineage: the products it reads and that read it, their topics and tables, "
            + "its consumers and the column lineage of its newest visible version")
    record ProductLineage(LineageGraph.Node product, int depth, List<LineageGraph.Node> upstream,
                          List<LineageGraph.Node> downstream, List<LineageGraph.Edge> edges,
                          @Schema(description = "which output columns derive from which input columns, from the "
                                  + "analyzed plan of the version's transformation") ColumnLineage columns,
                          List<LineageGraph.Consumer> consumers,
                          @Schema(description = "who read the data in the window; only for the owning domain and "
                                  + "admins (null otherwise)") List<LineageGraph.Reader> readers) {
    }

    @Schema(description = "A domain's lineage: its products, what they read and what reads them")
    record DomainLineage(String domain, List<LineageGraph.Node> products, List<LineageGraph.Node> upstream,
                         List<LineageGraph.Node> downstream, List<LineageGraph.Edge> edges,
                         Map<String, List<LineageGraph.Consumer>> consumers,
                         @Schema(description = "per product: who read it in the window; only for the owning domain "
                                 + "and admins (null otherwise)") Map<String, List<LineageGraph.Reader>> readers) {
    }

    @Schema(description = "The column lineage of one version")
    record VersionLineage(String domain, String product, String version, @Schema(implementation = ColumnLineage.class)
                          ColumnLineage lineage) {
    }

    @GetMapping("/domains/{domain}/products/{product}/lineage")
    @Operation(operationId = "getProductLineage", summary = "A product's lineage, upstream and downstream",
            description = "Product majors linked through declared input ports, `depth` hops up and down (1–10), each "
                    + "with its topic and tables; the product's consumers (domains with active grants); the column "
                    + "lineage of its newest visible version (newest major). Who read it in the last `readerDays` "
                    + "days comes from the audit and is shown to the owning domain and admins only. Drafts only "
                    + "for the domain's own callers and admins.")
    ProductLineage productLineage(@PathVariable String domain, @PathVariable String product,
                                  @RequestParam(defaultValue = "3") @Min(1) @Max(10) int depth,
                                  @RequestParam(defaultValue = "30") @Min(1) @Max(365)
                                  @Parameter(description = "the audit window for readers, in days") int readerDays) {
        ProductSummary summary = products.getProduct(domain, product, !seesDrafts(domain));
        int newestMajor = summary.versions().stream()
                .mapToInt(v -> dev.meshplatform.registry.api.SemanticVersion.parse(v.version()).major()).max()
                .orElseThrow(() -> RegistryException.notFound("product-not-found", "product " + domain + "/"
                        + product + " does not exist"));
        ProductMajor root = new ProductMajor(domain, product, newestMajor);
        LineageGraph.Graph around = graph.around(Set.of(root), depth, this::seesDrafts);
        if (around.roots().isEmpty()) {
            throw RegistryException.notFound("product-not-found", "product " + domain + "/" + product
                    + " does not exist");
        }
        ProductVersionView version = around.versions().get(root.key());
        return new ProductLineage(around.roots().get(0), depth, around.upstream(), around.downstream(),
                around.edges(), LineageGraph.lineageOf(products, version), graph.consumers(domain, product),
                authz.readAudit(domain) ? graph.readers(domain, product, readerDays) : null);
    }

    @GetMapping("/domains/{domain}/lineage")
    @Operation(operationId = "getDomainLineage", summary = "A domain's lineage: its products, their inputs and readers",
            description = "Every product major of the domain the caller may see, the products they read and that "
                    + "read them (one hop), their consumers (active grants) and, for the domain's owners and "
                    + "admins, who read them in the last `readerDays` days (from the audit).")
    DomainLineage domainLineage(@PathVariable String domain,
                                @RequestParam(defaultValue = "30") @Min(1) @Max(365)
                                @Parameter(description = "the audit window for readers, in days") int readerDays) {
        Set<ProductMajor> roots = new LinkedHashSet<>();
        boolean drafts = seesDrafts(domain);
        int page = 0;
        List<ProductSummary> listed;
        do {
            listed = products.search(new dev.meshplatform.registry.api.ProductQuery(domain, null, null, null,
                    !drafts, page++, 200)).items();
            for (ProductSummary summary : listed) {
                summary.versions().stream()
                        .filter(v -> drafts || v.status() != LifecycleStatus.DRAFT)
                        .map(v -> dev.meshplatform.registry.api.SemanticVersion.parse(v.version()).major())
                        .distinct()
                        .forEach(major -> roots.add(new ProductMajor(domain, summary.name(), major)));
            }
        } while (listed.size() == 200);
        LineageGraph.Graph around = roots.isEmpty()
                ? new LineageGraph.Graph(List.of(), List.of(), List.of(), List.of(), Map.of())
                : graph.around(roots, 1, this::seesDrafts);
        Map<String, List<LineageGraph.Consumer>> consumers = new LinkedHashMap<>();
        Map<String, List<LineageGraph.Reader>> readers = authz.readAudit(domain) ? new LinkedHashMap<>() : null;
        Set<String> names = new LinkedHashSet<>();
        around.roots().forEach(n -> names.add(n.product()));
        for (String name : names) {
            consumers.put(name, graph.consumers(domain, name));
            if (readers != null) {
                readers.put(name, graph.readers(domain, name, readerDays));
            }
        }
        return new DomainLineage(domain, around.roots(), around.upstream(), around.downstream(), around.edges(),
                consumers, readers);
    }

    @GetMapping("/domains/{domain}/products/{product}/versions/{version}/lineage")
    @Operation(operationId = "getVersionLineage", summary = "A version's column lineage",
            description = "Which output columns derive from which input columns (DIRECT, TRANSFORMED, AGGREGATED, "
                    + "COUNTED) and every input column the transformation reads, from the analyzed plan of the "
                    + "version's transformation, computed when the version was applied (over its inputs' declared "
                    + "schemas; no data read). UNAVAILABLE with the reason when the plan could not be analyzed.")
    VersionLineage versionLineage(@PathVariable String domain, @PathVariable String product,
                                  @PathVariable String version) {
        ProductVersionView view = products.getVersion(domain, product, version);
        if (!view.status().isReleased() && !seesDrafts(domain)) {
            throw RegistryException.notFound("version-not-found", "version " + version + " of " + domain + "/"
                    + product + " does not exist");
        }
        return new VersionLineage(domain, product, version, LineageGraph.lineageOf(products, view));
    }

    /** As the catalog: admins, owners and members see drafts, consumers released versions only. */
    private boolean seesDrafts(String domain) {
        return MeshAuthorization.seesDrafts(CurrentPrincipal.get());
    }

}
