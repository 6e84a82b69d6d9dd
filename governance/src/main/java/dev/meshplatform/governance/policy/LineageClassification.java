package dev.meshplatform.governance.policy;

import dev.meshplatform.registry.api.ColumnLineage;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.SchemaField;
import dev.meshplatform.registry.api.SchemaField.Classification;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Classification follows lineage: an output column whose values derive from a PII or CONFIDENTIAL input column must
 * be classified at least as strictly (PUBLIC < INTERNAL < CONFIDENTIAL < PII; unclassified is weakest). An input
 * column counts as what it is classified now, masked for the reader or not. Counts carry no values and do not count.
 */
final class LineageClassification {

    private LineageClassification() {
    }

    /**
     * Each output column classified less strictly than an input column it derives from, as
     * {@code <input>.<column> (PII) → <output> (INTERNAL)}; when the lineage is unavailable and an input holds
     * sensitive columns, why it cannot be judged.
     *
     * @param inputSchema the current schema of an input product major by its key ({@code <d>/<p>/v<m>}), if released
     */
    static List<String> underClassified(ProductDescriptor descriptor, ColumnLineage lineage,
                                        Function<String, Optional<List<SchemaField>>> inputSchema) {
        Map<String, Map<String, Classification>> inputs = new TreeMap<>();
        descriptor.kafkaInput().ifPresent(kafka -> inputs.put(ColumnLineage.RAW, classifications(
                kafka.schema() == null || kafka.schema().isEmpty() ? descriptor.schema() : kafka.schema())));
        for (InputPort input : descriptor.productInputs()) {
            String key = ColumnLineage.input(input.domain(), input.product(), input.majorVersion());
            inputSchema.apply(key).ifPresent(schema -> inputs.put(key, classifications(schema)));
        }
        List<String> violations = new ArrayList<>();
        if (lineage == null || !lineage.computed()) {
            Set<String> sensitive = new LinkedHashSet<>();
            inputs.forEach((input, columns) -> columns.forEach((column, classification) -> {
                if (sensitive(classification)) {
                    sensitive.add(input + "." + column + " (" + classification + ")");
                }
            }));
            if (!sensitive.isEmpty()) {
                violations.add("the column lineage is unavailable (" + (lineage == null ? "not computed"
                        : lineage.reason()) + "), so the platform cannot tell where the sensitive input columns "
                        + String.join(", ", sensitive) + " go");
            }
            return violations;
        }
        for (SchemaField output : descriptor.schema()) {
            Classification declared = strictest(output);
            Optional<ColumnLineage.OutputColumn> column = lineage.column(output.name());
            if (column.isEmpty()) {
                continue;
            }
            for (ColumnLineage.Source source : column.get().from()) {
                if (!source.how().carriesValues()) {
                    continue;
                }
                Classification from = inputs.getOrDefault(source.input(), Map.of())
                        .get(source.column().toLowerCase(Locale.ROOT));
                if (sensitive(from) && rank(declared) < rank(from)) {
                    violations.add(source.input() + "." + source.column() + " (" + from + ") → " + output.name()
                            + " (" + (declared == null ? "unclassified" : declared) + ")");
                }
            }
        }
        return violations;
    }

    private static Map<String, Classification> classifications(List<SchemaField> schema) {
        Map<String, Classification> byColumn = new TreeMap<>();
        for (SchemaField field : schema) {
            if (field.name() != null) {
                byColumn.put(field.name().toLowerCase(Locale.ROOT), strictest(field));
            }
        }
        return byColumn;
    }

    /** A column's classification: the strictest of its own and its nested fields' (a struct carries them all). */
    static Classification strictest(SchemaField field) {
        Classification strictest = field.classification();
        List<SchemaField> nested = new ArrayList<>();
        if (field.fields() != null) {
            nested.addAll(field.fields());
        }
        if (field.items() != null) {
            nested.add(field.items());
        }
        for (SchemaField child : nested) {
            Classification inner = strictest(child);
            if (rank(inner) > rank(strictest)) {
                strictest = inner;
            }
        }
        return strictest;
    }

    private static boolean sensitive(Classification classification) {
        return classification == Classification.PII || classification == Classification.CONFIDENTIAL;
    }

    private static int rank(Classification classification) {
        return classification == null ? -1 : classification.ordinal();
    }
}
