package dev.meshplatform.registry.api;

import java.util.List;

/**
 * Computes the column lineage of a transformation from its analyzed plan, over views of the inputs' declared schemas
 * (no data read). Processing implements it in its run sandbox, so that the registry, which asks when a version is
 * applied, never runs Spark or a domain's SQL itself.
 */
public interface LineageAnalyzer {

    /**
     * @param sql    the transformation, already through the apply-time SQL check
     * @param inputs the views the transformation may read, each with the input it stands for
     * @return the lineage, or {@link ColumnLineage#unavailable} with the reason when the plan cannot be analyzed
     */
    ColumnLineage analyze(String sql, List<LineageInput> inputs);

    /**
     * One view of the transformation.
     *
     * @param view   the view's name in Spark SQL ({@code raw}, {@code <domain>__<product>_v<major>})
     * @param input  what lineage calls the input ({@link ColumnLineage#RAW} or {@link ProductMajor#key()})
     * @param fields the input's declared columns
     */
    record LineageInput(String view, String input, List<SchemaField> fields) {

        public LineageInput {
            fields = List.copyOf(fields);
        }
    }
}
