package dev.meshplatform.registry.api;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed {@code type} of a {@link SchemaField}. Timestamps carry an offset (Iceberg {@code timestamptz});
 * decimals have a precision of 1 to 38 and a scale of 0 to the precision.
 */
public record FieldType(Kind kind, int precision, int scale) {

    private static final Pattern DECIMAL = Pattern.compile("decimal\\(\\s*(\\d{1,2})\\s*,\\s*(\\d{1,2})\\s*\\)");

    public enum Kind {
        STRING, INT, LONG, DOUBLE, DECIMAL, BOOLEAN, DATE, TIMESTAMP, STRUCT, LIST;

        public boolean isTemporal() {
            return this == DATE || this == TIMESTAMP;
        }
    }

    public static FieldType parse(String type) {
        if (type == null) {
            throw new IllegalArgumentException("a type is required");
        }
        String normalized = type.trim().toLowerCase(Locale.ROOT);
        Matcher decimal = DECIMAL.matcher(normalized);
        if (decimal.matches()) {
            int precision = Integer.parseInt(decimal.group(1));
            int scale = Integer.parseInt(decimal.group(2));
            if (precision < 1 || precision > 38 || scale > precision) {
                throw new IllegalArgumentException("decimal(p,s) needs 1 <= p <= 38 and 0 <= s <= p, got " + type);
            }
            return new FieldType(Kind.DECIMAL, precision, scale);
        }
        return switch (normalized) {
            case "string" -> simple(Kind.STRING);
            case "int" -> simple(Kind.INT);
            case "long" -> simple(Kind.LONG);
            case "double" -> simple(Kind.DOUBLE);
            case "boolean" -> simple(Kind.BOOLEAN);
            case "date" -> simple(Kind.DATE);
            case "timestamp" -> simple(Kind.TIMESTAMP);
            case "struct" -> simple(Kind.STRUCT);
            case "list" -> simple(Kind.LIST);
            default -> throw new IllegalArgumentException("unknown type '" + type
                    + "': use string, int, long, double, decimal(p,s), boolean, date, timestamp, struct or list");
        };
    }

    private static FieldType simple(Kind kind) {
        return new FieldType(kind, 0, 0);
    }

    @Override
    public String toString() {
        return kind == Kind.DECIMAL ? "decimal(" + precision + "," + scale + ")" : kind.name().toLowerCase(Locale.ROOT);
    }
}
