package dev.meshplatform.app.ingestion;

import dev.meshplatform.app.web.PageResponse;
import dev.meshplatform.ingestion.api.IngestionException;
import dev.meshplatform.ingestion.api.LandingJobs;
import dev.meshplatform.ingestion.api.LandingStatus;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductVersionView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

@RestController
@RequestMapping("/api/v1/domains/{domain}/products/{product}/landing")
@Tag(name = "Ingestion")
class LandingController {

    private final LandingJobs landing;
    private final ProductCatalog products;

    LandingController(LandingJobs landing, ProductCatalog products) {
        this.landing = landing;
        this.products = products;
    }

    @GetMapping
    @PreAuthorize("@authz.operateIn(#domain)")
    @Operation(operationId = "landingStatus", summary = "Status of the product's landing jobs, one per major",
            description = "State, owning instance, events/s, lag per partition, events landed and dead-lettered, "
                    + "last commit, last error. Domain owners and members, admins.")
    PageResponse<LandingStatus> status(@PathVariable String domain, @PathVariable String product) {
        products.getProduct(domain, product, false); // a product that does not exist is a 404, not an empty list
        return PageResponse.all(landing.statuses(domain, product));
    }

    @PostMapping("/start")
    @PreAuthorize("@authz.operateIn(#domain)")
    @Operation(operationId = "startLanding", summary = "Start (or keep running) a landing job",
            description = "The desired state survives restarts; an instance of the platform picks the job up within "
                    + "seconds. major: default the newest published.")
    LandingStatus start(@PathVariable String domain, @PathVariable String product,
                        @RequestParam(required = false) Integer major) {
        return landing.start(domain, product, majorOf(domain, product, major));
    }

    @PostMapping("/stop")
    @PreAuthorize("@authz.operateIn(#domain)")
    @Operation(operationId = "stopLanding", summary = "Stop a landing job",
            description = "Its owner commits what it holds, then stops. Events keep arriving in Kafka and land when "
                    + "the job starts again.")
    LandingStatus stop(@PathVariable String domain, @PathVariable String product,
                       @RequestParam(required = false) Integer major) {
        return landing.stop(domain, product, majorOf(domain, product, major));
    }

    private int majorOf(String domain, String product, Integer major) {
        if (major != null) {
            return major;
        }
        return products.newest(domain, product, LifecycleStatus.PUBLISHED)
                .map(ProductVersionView::major)
                .orElseThrow(() -> new IngestionException(IngestionException.Reason.CONFLICT, "not-published",
                        "product " + domain + "/" + product + " has no published version"));
    }
}
