package dev.meshplatform.processing.api;

import dev.meshplatform.registry.api.MaskKind;
import dev.meshplatform.registry.api.RowFilter;

import java.util.List;
import java.util.Map;

/**
 * How a run may read one input product, as governance decided it for the principal {reading domain, RUN, purpose}:
 * the columns it sees (all when empty), the rows (every filter holds), and the mask of every masked path. The run
 * builds its view of the input from exactly this; processing decides nothing about access itself.
 */
public record GovernedInput(String domain, String product, int major, List<String> columns,
                            List<RowFilter> rowFilters, Map<String, MaskKind> masks) {

    public GovernedInput {
        columns = List.copyOf(columns);
        rowFilters = List.copyOf(rowFilters);
        masks = Map.copyOf(masks);
    }

    /** All columns and rows, nothing masked: the reading domain's own product. */
    public static GovernedInput unrestricted(String domain, String product, int major) {
        return new GovernedInput(domain, product, major, List.of(), List.of(), Map.of());
    }
}
