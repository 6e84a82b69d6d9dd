package dev.meshplatform.governance.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The owners' answer to an access request.
 *
 * @param rowFilters conditions every row served under the grant must meet, each {@code column:op:value} with op one
 *                   of eq, ne, lt, le, gt, ge, in (values separated by {@code |}), is_null, not_null
 * @param duration   overrides the requested duration (ISO-8601), e.g. to grant less time than asked
 * @param reason     a note kept with the decision
 */
public record Approval(@Size(max = 20) List<@NotBlank @Size(max = 500) String> rowFilters,
                       @Size(max = 32) String duration,
                       @Size(max = 2000) String reason) {

    public Approval {
        rowFilters = rowFilters == null ? List.of() : List.copyOf(rowFilters);
    }
}
