package dev.meshplatform.governance.api;

import dev.meshplatform.registry.api.MaskKind;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A policy as its author writes it.
 *
 * @param domain      the domain the policy governs; null for a global policy (platform admins only)
 * @param expression  CEL, type-checked against the kind's variables when saved
 * @param enforcement GATE only: whether a failure blocks publication or only warns; BLOCK when absent
 * @param mask        MASK only: the mask applied where the expression holds
 * @param message     what a failed gate or a denied access says to the caller
 * @param enabled     false keeps the policy but does not apply it; true when absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicySpec(
        @Size(max = 2000) String description,
        @NotNull PolicyKind kind,
        @Size(max = 63) String domain,
        @NotBlank @Size(max = 10000) String expression,
        Enforcement enforcement,
        MaskKind mask,
        @Size(max = 1000) String message,
        Boolean enabled) {

    public enum Enforcement {
        BLOCK, WARN
    }

    public boolean isEnabled() {
        return !Boolean.FALSE.equals(enabled);
    }

    public boolean blocking() {
        return enforcement != Enforcement.WARN;
    }
}
