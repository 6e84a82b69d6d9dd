package dev.meshplatform.app.ingestion;

import dev.meshplatform.app.security.CurrentPrincipal;
import dev.meshplatform.app.web.PageResponse;
import dev.meshplatform.ingestion.api.DeadLetter;
import dev.meshplatform.ingestion.api.DeadLetterReplay;
import dev.meshplatform.ingestion.api.DeadLetterReplays;
import dev.meshplatform.ingestion.api.DeadLetterSelection;
import dev.meshplatform.ingestion.api.DeadLetters;
import dev.meshplatform.ingestion.api.IngestionException;
import dev.meshplatform.ingestion.api.LandingJobs;
import dev.meshplatform.ingestion.api.LandingStatus;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductVersionView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
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
    private final DeadLetterReplays replays;

    LandingController(LandingJobs landing, ProductCatalog products, DeadLetters deadLetters,
                      DeadLetterReplays replays) {
        this.landing = landing;
        this.products = products;
        this.deadLetters = deadLetters;
        this.replays = replays;
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
                    + "which is the domain's raw data. Each letter says whether its event was replayed, when and by "
                    + "whom (replayState: null when it was not). major: default the newest published; limit: 1 "
                    + "to 500, default 50.")
    PageResponse<DeadLetter> deadLetters(@PathVariable String domain, @PathVariable String product,
                                         @RequestParam(required = false) @Min(0) Integer major,
                                         @RequestParam(defaultValue = "50") int limit) {
        List<DeadLetter> letters = deadLetters.newest(domain, product, majorOf(domain, product, major), limit);
        // An admin is no reader of the domain's raw data: the reasons and positions, not the events.
        return PageResponse.all(CurrentPrincipal.get().isAdmin()
                ? letters.stream().map(DeadLetter::withoutPayload).toList() : letters);
    }

    @PostMapping(value = "/dead-letters/replay", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("@authz.ownerOf(#domain)")
    @Operation(operationId = "replayDeadLetters", summary = "Replay dead letters that the current contract accepts",
            description = "Checks each selected dead letter's event again against the major's current contract (its "
                    + "newest released version: a compatible minor version may take what an older one refused) and "
                    + "produces those that pass to the product's topic, acknowledged by every in-sync replica "
                    + "before the answer, as POST …/events does. Those still refused stay where they are, with the "
                    + "reason. Select exactly one of: all (every letter of the major, at most 1,000), letters "
                    + "(1 to 1,000 partition and offset pairs, as the list shows them), or range (one partition's "
                    + "offsets fromOffset to toOffset, both included, at most 1,000). An event is produced at most "
                    + "once however often it is replayed: a second replay answers ALREADY_REPLAYED; one whose "
                    + "first replay has no known outcome answers IN_DOUBT and is not produced again. The domain's "
                    + "owners and admins.")
    DeadLetterReplay replay(@PathVariable String domain, @PathVariable String product,
                            @Valid @RequestBody DeadLetterSelection selection) {
        return replays.replay(domain, product, selection, CurrentPrincipal.get().name());
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
