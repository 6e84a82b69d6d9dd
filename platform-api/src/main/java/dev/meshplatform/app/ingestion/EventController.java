package dev.meshplatform.app.ingestion;

import dev.meshplatform.ingestion.api.EventBatchResult;
import dev.meshplatform.ingestion.api.EventIngestion;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Min;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/domains/{domain}/products/{product}")
@Tag(name = "Ingestion")
class EventController {

    static final String NDJSON = "application/x-ndjson";

    private final EventIngestion events;

    EventController(EventIngestion events) {
        this.events = events;
    }

    @PostMapping(value = "/events", consumes = {MediaType.APPLICATION_JSON_VALUE, NDJSON})
    @PreAuthorize("@authz.operateIn(#domain)")
    @Operation(operationId = "postEvents", summary = "Send a batch of events",
            description = "A JSON array, or NDJSON (Content-Type application/x-ndjson). Each event is checked "
                    + "against the product's contract; valid ones are produced to its topic and acknowledged by "
                    + "every in-sync replica before the answer. Invalid ones come back in 'rejected' by index with "
                    + "the reason; the rest of the batch goes on. With an Idempotency-Key, the same batch sent again "
                    + "is not produced again: the first answer comes back. major: the product's major version "
                    + "(default: the newest published). Domain owners and members, admins.")
    ResponseEntity<EventBatchResult> post(@PathVariable String domain, @PathVariable String product,
                                          @RequestParam(required = false) @Min(0) Integer major,
                                          @RequestHeader(value = "Idempotency-Key", required = false) String key,
                                          @Parameter(hidden = true)
                                          @RequestHeader(value = "Content-Type") String contentType,
                                          @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                                                  description = "the events: a JSON array of objects, or one JSON "
                                                          + "object per line",
                                                  content = {
                                                          @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                                                  array = @ArraySchema(schema = @Schema(
                                                                          type = "object"))),
                                                          @Content(mediaType = NDJSON, schema = @Schema(
                                                                  type = "string", description = "one JSON object "
                                                                  + "per line"))})
                                          @RequestBody byte[] body) {
        boolean ndjson = MediaType.parseMediaType(contentType).isCompatibleWith(MediaType.parseMediaType(NDJSON));
        EventBatchResult result = events.ingest(domain, product, major, body, ndjson, key);
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        if (result.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(result);
    }
}
