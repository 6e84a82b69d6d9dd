package dev.meshplatform.processing.runs;

import dev.meshplatform.registry.api.MaskKind;
import dev.meshplatform.registry.api.QualityRule;
import dev.meshplatform.registry.api.RowFilter;
import dev.meshplatform.registry.api.SchemaField;

import java.util.List;
import java.util.Map;

/**
 * What a run JVM is to do, sent by the platform on the JVM's standard input (never on its command line or on disk:
 * it may carry the HASH mask's key).
 *
 * @param sql        the transformation, as the domain wrote it (parsed and checked again in the run JVM)
 * @param mode       OVERWRITE, APPEND or MERGE
 * @param contract   the product's output schema, which the result is conformed to
 * @param output     the output table; the platform created it and the staging branch
 * @param branch     the staging branch the result is written to
 * @param views      the relations the query reads: each read by platform code, governed, then a temporary view
 * @param maskHashKey the key of the HASH mask; null when no view masks with HASH
 */
record RunSpec(String runId, String domain, String product, String version, String sql, String mode,
                      List<String> mergeKeys, List<SchemaField> contract, List<QualityRule> quality, Table output,
                      String branch, List<View> views, String maskHashKey) {

    public RunSpec {
        mergeKeys = mergeKeys == null ? List.of() : List.copyOf(mergeKeys);
        contract = List.copyOf(contract);
        quality = quality == null ? List.of() : List.copyOf(quality);
        views = List.copyOf(views);
    }

    /** An Iceberg table of the platform's catalog. */
    public record Table(String namespace, String name) {

        public String sparkName(String catalog) {
            return catalog + "." + namespace + "." + name;
        }
    }

    /**
     * A view of the query: the table's current data with only {@code columns} (all when empty), only the rows every
     * row filter admits, and the masks applied, path by path.
     */
    public record View(String name, Table table, List<String> columns, List<RowFilter> rowFilters,
                       Map<String, MaskKind> masks) {

        public View {
            columns = columns == null ? List.of() : List.copyOf(columns);
            rowFilters = rowFilters == null ? List.of() : List.copyOf(rowFilters);
            masks = masks == null ? Map.of() : Map.copyOf(masks);
        }

        public static View plain(String name, Table table) {
            return new View(name, table, List.of(), List.of(), Map.of());
        }
    }

    @Override
    public String toString() {
        return "RunSpec[" + runId + " of " + domain + "/" + product + " " + version + "]";
    }
}
