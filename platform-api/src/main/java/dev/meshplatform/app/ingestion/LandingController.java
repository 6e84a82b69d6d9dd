package dev.meshplatform.app.ingestion;

import dev.meshplatform.app.security.CurrentPrincipal;
import dev.meshplatform.app.web.PageResponse;
import dev.meshplatform.ingestion.api.DeadLetter;
import dev.meshplatform.ingestion.api.DeadLetters;
import dev.meshplatform.ingestion.api.IngestionException;
import dev.meshplatform.ingestion.api.LandingJobs;
import dev.meshplatform.ingestion.api.LandingStatus;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductVersionView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Min;
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
    private final DeadLetters deadLetters;

    LandingController(LandingJobs landing, ProductCatalog products, DeadLetters deadLetters) {
        this.landing = landing;
        this.products = products;
        this.deadLetters = deadLetters;
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
                        @RequestParam(required = false) @Min(0) Integer major) {
        return landing.start(domain, product, majorOf(domain, product, major));
    }

    @PostMapping("/stop")
    @PreAuthorize("@authz.operateIn(#domain)")
    @Operation(operationId = "stopLanding", summary = "Stop a landing job",
            description = "Its owner commits what it holds, then stops. Events keep arriving in Kafka and land when "
                    + "the job starts again.")
    LandingStatus stop(@PathVariable String domain, @PathVariable String product,
                       @RequestParam(required = false) @Min(0) Integer major) {
        return landing.stop(domain, product, majorOf(domain, product, major));
    }

    @GetMapping("/dead-letters")
    @PreAuthorize("@authz.operateIn(#domain)")
    @Operation(operationId = "listDeadLetters", summary = "The events the landing job refused, newest first",
            description = "From the major's dead-letter topic: why each event was refused, where it was in the "
                    + "product's topic (partition, offset), when it was produced, and the event as sent (its first "
                    + "1,000 characters) for the domain's owners and members; admins see everything but the event, "
                    + "which is the domain's raw data. major: default the newest published; limit: 1 to 500, "
                    + "default 50.")
    PageResponse<DeadLetter> deadLetters(@PathVariable String domain, @PathVariable String product,
                                         @RequestParam(required = false) @Min(0) Integer major,
                                         @RequestParam(defaultValue = "50") int limit) {
        List<DeadLetter> letters = deadLetters.newest(domain, product, majorOf(domain, product, major), limit);
        // An admin is no reader of the domain's raw data: the reasons and positions, not the events.
        return PageResponse.all(CurrentPrincipal.get().isAdmin()
                ? letters.stream().map(DeadLetter::withoutPayload).toList() : letters);
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
