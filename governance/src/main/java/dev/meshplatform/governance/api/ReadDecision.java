package dev.meshplatform.governance.api;

import dev.meshplatform.registry.api.MaskKind;
import dev.meshplatform.registry.api.RowFilter;
import dev.meshplatform.registry.api.Masker;

import java.util.List;
import java.util.Map;

/**
 * The answer to a read: whether it is allowed, under which grant, which columns are served, the rows the grant
 * limits it to, and the mask of every masked column.
 *
 * @param columns    the columns to serve (those asked for, or all the caller may see)
 * @param rowFilters the grant's conditions; the reader applies them before anything is served
 * @param masks      column → mask; the columns not named are served as they are
 * @param policies   the ids of the policies that spoke (denied, or masked a column)
 */
public record ReadDecision(boolean allowed, String reason, String grantId, String purpose, boolean ownDomain,
                           List<String> columns, List<RowFilter> rowFilters, Map<String, MaskKind> masks,
                           List<String> policies, Masker masker) {

    public ReadDecision {
        columns = List.copyOf(columns);
        rowFilters = List.copyOf(rowFilters);
        masks = Map.copyOf(masks);
        policies = List.copyOf(policies);
    }
}
