package dev.meshplatform.governance.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * What a consumer asks for.
 *
 * @param purpose  why the data is needed; mask policies may let some purposes see some columns unmasked
 * @param columns  the columns wanted; all when empty
 * @param duration how long access is wanted, an ISO-8601 duration such as P30D
 */
public record AccessRequestSpec(
        @NotBlank @Size(max = 200) @Pattern(regexp = "[a-z0-9][a-z0-9-]*", message = "purpose is lower-kebab, e.g. fraud-detection") String purpose,
        @Size(max = 500) List<@NotBlank @Size(max = 128) String> columns,
        @NotBlank @Size(max = 32) String duration,
        @Size(max = 2000) String justification) {

    public AccessRequestSpec {
        columns = columns == null ? List.of() : List.copyOf(columns);
    }
}
