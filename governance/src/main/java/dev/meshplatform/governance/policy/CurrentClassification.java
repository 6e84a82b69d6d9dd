package dev.meshplatform.governance.policy;

import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.SchemaField;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a field is classified as now: the classification and tags of the newest released version that has the field
 * (by its path), whatever version's data is read. A field reclassified CONFIDENTIAL in 1.2.0 is masked as such when
 * a reader asks for 1.0.0's snapshot too.
 */
final class CurrentClassification {

    private CurrentClassification() {
    }

    /**
     * The schema of the data read, each field's classification and tags taken from the newest of {@code released}
     * that declares its path (the read version's own when none does).
     *
     * @param released the product's released versions, newest first
     */
    public static List<SchemaField> of(List<SchemaField> read, List<ProductVersionView> released) {
        List<Map<String, SchemaField>> byVersion = released.stream()
                .map(v -> FieldPaths.of(v.descriptor().schema())).toList();
        List<SchemaField> current = new ArrayList<>();
        for (SchemaField field : read) {
            current.add(merge(field, field.name(), byVersion));
        }
        return current;
    }

    private static SchemaField merge(SchemaField field, String path, List<Map<String, SchemaField>> byVersion) {
        SchemaField newest = field;
        for (Map<String, SchemaField> paths : byVersion) {
            SchemaField declared = paths.get(path);
            if (declared != null) {
                newest = declared;
                break;
            }
        }
        List<SchemaField> fields = null;
        if (field.fields() != null) {
            fields = new ArrayList<>();
            for (SchemaField child : field.fields()) {
                fields.add(merge(child, path + "." + child.name(), byVersion));
            }
        }
        SchemaField items = field.items() == null ? null : merge(field.items(), path + "[]", byVersion);
        return new SchemaField(field.name(), field.type(), field.required(), field.description(),
                newest.classification(), newest.tags(), fields, items);
    }
}
