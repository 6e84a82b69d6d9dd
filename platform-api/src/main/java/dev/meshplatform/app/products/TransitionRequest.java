package dev.meshplatform.app.products;

import dev.meshplatform.registry.api.LifecycleStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

import java.time.Instant;

/** The body of {@code POST …/versions/{version}/transitions}. */
record TransitionRequest(@NotNull LifecycleStatus to,
                         @Schema(description = "With to=DEPRECATED only: the future date after which the version is "
                                 + "no longer served, sent to its readers in the Sunset header (RFC 8594)",
                                 example = "2027-06-30T00:00:00Z") Instant sunset) {
}
