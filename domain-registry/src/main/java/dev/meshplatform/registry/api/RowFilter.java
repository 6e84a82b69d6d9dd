package dev.meshplatform.registry.api;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A condition on one column, written {@code column:op:value}: how grants carry row filters and how readers filter.
 * Values stay text here; the reader converts them to the column's type.
 */
public record RowFilter(String column, Operator operator, List<String> values) {

    public enum Operator {
        EQ, NE, LT, LE, GT, GE, IN, IS_NULL, NOT_NULL
    }

    public RowFilter {
        values = List.copyOf(values);
    }

    /** Parses {@code column:op:value}; {@code in} takes values separated by {@code |}. */
    public static RowFilter parse(String text) {
        String[] parts = text.split(":", 3);
        if (parts.length < 2 || parts[0].isBlank()) {
            throw invalid(text, "write column:op:value, e.g. country:eq:NL");
        }
        Operator operator;
        try {
            operator = Operator.valueOf(parts[1].trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(text, "unknown operator '" + parts[1] + "'; use one of eq, ne, lt, le, gt, ge, in, "
                    + "is_null, not_null");
        }
        boolean nullTest = operator == Operator.IS_NULL || operator == Operator.NOT_NULL;
        if (!nullTest && parts.length < 3) {
            throw invalid(text, "operator " + parts[1] + " needs a value");
        }
        List<String> values = nullTest ? List.of()
                : operator == Operator.IN ? Arrays.asList(parts[2].split("\\|")) : List.of(parts[2]);
        return new RowFilter(parts[0].trim(), operator, values);
    }

    public String text() {
        String op = operator.name().toLowerCase(Locale.ROOT);
        return values.isEmpty() ? column + ":" + op : column + ":" + op + ":" + String.join("|", values);
    }

    private static RegistryException invalid(String text, String why) {
        return new RegistryException(RegistryException.Reason.INVALID, "invalid-filter",
                "filter '" + text + "' is not valid: " + why);
    }
}
