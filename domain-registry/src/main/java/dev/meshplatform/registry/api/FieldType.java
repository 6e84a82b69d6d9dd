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

    /**
     * Whether values of this type all fit {@code wider} and files written with it stay readable: Iceberg's type
     * promotions (int to long, a decimal to one of more precision and the same scale) or the same type.
     */
    public boolean widensTo(FieldType wider) {
        if (equals(wider)) {
            return true;
        }
        return kind == Kind.INT && wider.kind == Kind.LONG
                || kind == Kind.DECIMAL && wider.kind == Kind.DECIMAL && scale == wider.scale
                && wider.precision >= precision;
    }

    /** Whether rows can be filtered on a column of this type (structs and lists cannot). */
    public boolean isFilterable() {
        return kind != Kind.STRUCT && kind != Kind.LIST;
    }

    /**
     * A filter's text value as this type's Java value: Integer, Long, Double, BigDecimal (within the precision and
     * scale), Boolean; dates ({@code 2026-01-31}) and timestamps (ISO-8601 with an offset) stay text once checked.
     *
     * @throws IllegalArgumentException naming what the text should be
     */
    public Object filterValue(String text) {
        if (!isFilterable()) {
            throw new IllegalArgumentException("columns of type " + this + " cannot be filtered");
        }
        try {
            return switch (kind) {
                case STRING -> text;
                case INT -> Integer.parseInt(text);
                case LONG -> Long.parseLong(text);
                case DOUBLE -> Double.parseDouble(text);
                case DECIMAL -> {
                    java.math.BigDecimal value = new java.math.BigDecimal(text);
                    if (value.scale() > scale || value.precision() - value.scale() > precision - scale) {
                        throw new NumberFormatException();
                    }
                    yield value.setScale(scale);
                }
                case BOOLEAN -> {
                    if (!text.equals("true") && !text.equals("false")) {
                        throw new NumberFormatException();
                    }
                    yield Boolean.parseBoolean(text);
                }
                case DATE -> {
                    java.time.LocalDate.parse(text);
                    yield text;
                }
                case TIMESTAMP -> {
                    java.time.OffsetDateTime.parse(text);
                    yield text;
                }
                case STRUCT, LIST -> throw new IllegalStateException("not filterable");
            };
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a " + this
                    + (kind == Kind.TIMESTAMP ? " (ISO-8601 with an offset)" : ""));
        }
    }

    private static FieldType simple(Kind kind) {
        return new FieldType(kind, 0, 0);
    }

    @Override
    public String toString() {
        return kind == Kind.DECIMAL ? "decimal(" + precision + "," + scale + ")" : kind.name().toLowerCase(Locale.ROOT);
    }
}
