package dev.meshplatform.governance.policy;

import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.SchemaField;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a new version breaks for the consumers of the previous one of its major: fields removed (a rename is a
 * removal), types changed other than Iceberg's safe widenings, optional fields made required. Nested fields count by
 * their path ({@code address.city}; list items as {@code emails[]}).
 */
public final class Compatibility {

    private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),\\s*(\\d+)\\)");

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
            String from = normalized(old.type());
            String to = normalized(now.type());
            if (!from.equals(to) && !widens(from, to)) {
                retyped.add(path + " (" + from + " → " + to + ")");
            }
            if (!old.mandatory() && now.mandatory()) {
                nowRequired.add(path);
            }
        });
        return new Report(List.copyOf(removed), List.copyOf(retyped), List.copyOf(nowRequired));
    }

    private static String normalized(String type) {
        return type.replace(" ", "").toLowerCase(Locale.ROOT);
    }

    /** Iceberg's type promotions: the values of the old type all fit the new one and old files stay readable. */
    static boolean widens(String from, String to) {
        if (from.equals("int") && to.equals("long") || from.equals("float") && to.equals("double")) {
            return true;
        }
        Matcher a = DECIMAL.matcher(from);
        Matcher b = DECIMAL.matcher(to);
        return a.matches() && b.matches() && a.group(2).equals(b.group(2))
                && Integer.parseInt(b.group(1)) >= Integer.parseInt(a.group(1));
    }
}
