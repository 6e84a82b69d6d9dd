package dev.meshplatform.governance.policy;

import dev.meshplatform.registry.api.FieldType;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.SchemaField;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a new version breaks for the consumers of the previous one of its major: fields removed (a rename is a
 * removal), types changed other than Iceberg's safe widenings, optional fields made required. Nested fields count by
 * their path ({@code address.city}; list items as {@code emails[]}).
 */
final class Compatibility {

    private Compatibility() {
    }

    public record Report(List<String> removed, List<String> retyped, List<String> nowRequired) {

        public static final Report NONE = new Report(List.of(), List.of(), List.of());

        public boolean breaking() {
            return !removed.isEmpty() || !retyped.isEmpty() || !nowRequired.isEmpty();
        }
    }

    public static Report between(ProductDescriptor previous, ProductDescriptor next) {
        if (previous == null || next == null) {
            return Report.NONE;
        }
        Map<String, SchemaField> before = FieldPaths.of(previous.schema());
        Map<String, SchemaField> after = FieldPaths.of(next.schema());
        List<String> removed = new ArrayList<>();
        List<String> retyped = new ArrayList<>();
        List<String> nowRequired = new ArrayList<>();
        before.forEach((path, old) -> {
            SchemaField now = after.get(path);
            if (now == null) {
                removed.add(path);
                return;
            }
            if (!widens(old.type(), now.type())) {
                retyped.add(path + " (" + old.type() + " → " + now.type() + ")");
            }
            if (!old.mandatory() && now.mandatory()) {
                nowRequired.add(path);
            }
        });
        return new Report(List.copyOf(removed), List.copyOf(retyped), List.copyOf(nowRequired));
    }

    /** A type the registry would refuse (in a descriptor evaluated before it is applied) counts as changed. */
    private static boolean widens(String from, String to) {
        try {
            return FieldType.parse(from).widensTo(FieldType.parse(to));
        } catch (IllegalArgumentException unknownType) {
            return false;
        }
    }
}
