package dev.meshplatform.app.processing;

import dev.meshplatform.app.security.CurrentPrincipal;
import dev.meshplatform.app.web.PageResponse;
import dev.meshplatform.processing.api.RunView;
import dev.meshplatform.processing.api.Runs;
import dev.meshplatform.registry.api.ProductCatalog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping("/api/v1/domains/{domain}/products/{product}/runs")
@Tag(name = "Processing")
class RunController {

    private final Runs runs;
    private final ProductCatalog products;

    RunController(Runs runs, ProductCatalog products) {
        this.runs = runs;
        this.products = products;
    }

    @PostMapping
    @PreAuthorize("@authz.operateIn(#domain)")
    @Operation(operationId = "triggerRun", summary = "Run the product's transformation now",
            description = "Queues a run of the newest published version (of the given major, when major is set: "
                    + "each major has its own output table and runs, so v1 goes on after 2.0.0): write to a staging "
                    + "branch, check the quality rules, publish only if every blocking rule passes. One run at a "
                    + "time per product major (409 run-in-progress). Follow the Location to see its state and "
                    + "progress. Domain owners and members, admins.")
    @ApiResponse(responseCode = "202", description = "Queued")
    ResponseEntity<RunView> trigger(@PathVariable String domain, @PathVariable String product,
                                    @RequestParam(required = false) @Min(0) Integer major) {
        RunView run = runs.trigger(domain, product, major, "API", CurrentPrincipal.get().name());
        return ResponseEntity.accepted().location(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(run.id()).toUri()).body(run);
    }

    @GetMapping
    @PreAuthorize("@authz.operateIn(#domain)")
    @Operation(operationId = "listRuns", summary = "The product's run history, newest first",
            description = "Scheduled and manual runs with their state, phase, progress, rows and snapshot, newest "
                    + "first, a page at a time. The domain's owners and members, admins.")
    PageResponse<RunView> history(@PathVariable String domain, @PathVariable String product,
                                  @RequestParam(defaultValue = "0") @Min(0) int page,
                                  @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        products.getProduct(domain, product, false); // a product that does not exist is a 404, not an empty list
        return PageResponse.of(runs.history(domain, product, page, size));
    }

    @GetMapping("/{runId}")
    @PreAuthorize("@authz.operateIn(#domain)")
    @Operation(operationId = "getRun", summary = "One run: state, progress, rows, quality results, snapshot, error",
            description = "Poll it while a run is QUEUED or RUNNING: phase and progress move until SUCCEEDED, "
                    + "FAILED or CANCELLED. The domain's owners and members, admins.")
    RunView get(@PathVariable String domain, @PathVariable String product, @PathVariable String runId) {
        return runs.get(domain, product, runId);
    }

    @PostMapping("/{runId}/cancel")
    @PreAuthorize("@authz.operateIn(#domain)")
    @Operation(operationId = "cancelRun", summary = "Cancel a queued or running run",
            description = "A cancelled run never publishes; its staging branch is removed.")
    RunView cancel(@PathVariable String domain, @PathVariable String product, @PathVariable String runId) {
        return runs.cancel(domain, product, runId);
    }
}
