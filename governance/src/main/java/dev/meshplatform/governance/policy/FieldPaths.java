package dev.meshplatform.governance.policy;

import dev.meshplatform.registry.api.SchemaField;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every field of a schema by its path: a struct's fields as {@code address.city}, a list's items as
 * {@code phones[]} and their fields as {@code orders[].sku}. Breaking changes, policy facts and masks name fields
 * this way.
 */
final class FieldPaths {

    private FieldPaths() {
    }

    /** The fields, each followed by the fields nested in it, in schema order. */
    public static Map<String, SchemaField> of(List<SchemaField> fields) {
        Map<String, SchemaField> paths = new LinkedHashMap<>();
        fields.forEach(f -> collect(f.name(), f, paths));
        return paths;
    }

    /** One field and the fields nested in it, under {@code path}. */
    public static Map<String, SchemaField> of(SchemaField field, String path) {
        Map<String, SchemaField> paths = new LinkedHashMap<>();
        collect(path, field, paths);
        return paths;
    }

    /** Whether {@code path} names a list's items rather than a named field. */
    public static boolean isItems(String path) {
        return path.endsWith("[]");
    }

    /** Whether {@code path} is {@code column} itself or a field nested in it. */
    public static boolean within(String path, String column) {
        return path.equals(column) || path.startsWith(column + ".") || path.startsWith(column + "[]");
    }

    private static void collect(String path, SchemaField field, Map<String, SchemaField> paths) {
        paths.put(path, field);
        if (field.fields() != null) {
            field.fields().forEach(child -> collect(path + "." + child.name(), child, paths));
        }
        if (field.items() != null) {
            collect(path + "[]", field.items(), paths);
        }
    }
}
