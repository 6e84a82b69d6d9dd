package dev.meshplatform.app.products;

import dev.meshplatform.registry.api.LifecycleStatus;
import jakarta.validation.constraints.NotNull;

/** The body of {@code POST …/versions/{version}/transitions}. */
record TransitionRequest(@NotNull LifecycleStatus to) {
}
