package dev.meshplatform.app.processing;

import dev.meshplatform.app.security.CurrentPrincipal;
import dev.meshplatform.app.web.PageResponse;
import dev.meshplatform.processing.api.OutputPorts;
import dev.meshplatform.processing.api.ProcessingException;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Min;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

@RestController
@RequestMapping("/api/v1/domains/{domain}/products/{product}/snapshots")
@Tag(name = "Processing")
class SnapshotController {

    private final OutputPorts outputPorts;
    private final ProductCatalog products;

    SnapshotController(OutputPorts outputPorts, ProductCatalog products) {
        this.outputPorts = outputPorts;
        this.products = products;
    }

    @GetMapping
    @Operation(operationId = "listSnapshots", summary = "The output port's snapshots, newest first",
            description = "Each with its commit time, operation, records added and in total, and the refs pointing "
                    + "at it: main, and v<version> for the snapshot each published version produced; published says "
                    + "whether it is readable (main's history or a tag). Readers outside the owning domain see only "
                    + "published snapshots. major: default the newest released.")
    PageResponse<OutputPorts.SnapshotView> snapshots(@PathVariable String domain, @PathVariable String product,
                                                     @RequestParam(required = false) @Min(0) Integer major) {
        int effective = major != null ? major : products.newest(domain, product, LifecycleStatus.released())
                .map(ProductVersionView::major)
                .orElseThrow(() -> new ProcessingException(ProcessingException.Reason.NOT_FOUND,
                        "output-port-not-found", "product " + domain + "/" + product + " has no released version"));
        List<OutputPorts.SnapshotView> snapshots = outputPorts.snapshots(domain, product, effective);
        MeshPrincipal principal = CurrentPrincipal.get();
        boolean owningDomain = principal.belongsTo(domain) && principal.role() != Role.CONSUMER;
        // Readers outside the owning domain see only what they could read: the published snapshots.
        return PageResponse.all(owningDomain ? snapshots
                : snapshots.stream().filter(OutputPorts.SnapshotView::published).toList());
    }
}
