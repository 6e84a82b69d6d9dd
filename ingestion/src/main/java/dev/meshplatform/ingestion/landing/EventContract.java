package dev.meshplatform.ingestion.landing;

import dev.meshplatform.ingestion.api.RawTables;
import dev.meshplatform.registry.api.FieldType;
import dev.meshplatform.registry.api.SchemaField;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A product's event contract applied to JSON events: checks each event against the declared fields (types,
 * required, no unknown fields) and turns a valid one into a row of the raw table. A refused event gets one
 * sentence saying why, for the dead-letter headers and the HTTP answer.
 */
final class EventContract {

    static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * The reader of the fast path: duplicate properties are found by the path itself, and anything it is not sure of
     * goes to the strict reader above.
     */
    /**
     * The fast path's parser, one per event: its buffers come from a pool per thread (a landing job reads on one
     * thread), not from the shared pool every parser takes a lock-free queue's turn on.
     */
    private static final JsonMapper STREAMING = JsonMapper.builder(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.threadLocalPool()).build()).build();

    /** The JSON reader events are checked with. */
    public static JsonMapper strictJson() {
        return JSON;
    }

    private final Schema tableSchema;
    private final StructRule root;
    private final GenericRecord template;
    private final int sourcePartition;
    private final int sourceOffset;
    private final int kafkaTimestamp;
    private final int ingestedAt;
    /** Reads a valid event of a flat contract without a JSON tree; null when the contract has nested fields. */
    private final FlatReader flat;

    /** The contract checked against, and written into, a raw table of this schema (which may hold more columns). */
    public EventContract(List<SchemaField> contract, Schema tableSchema) {
        this.tableSchema = tableSchema;
        this.root = new StructRule(contract, tableSchema.asStruct());
        this.template = GenericRecord.create(tableSchema);
        this.sourcePartition = position(RawTables.SOURCE_PARTITION);
        this.sourceOffset = position(RawTables.SOURCE_OFFSET);
        this.kafkaTimestamp = position(RawTables.KAFKA_TIMESTAMP);
        this.ingestedAt = position(RawTables.INGESTED_AT);
        this.flat = FlatReader.of(root, template);
    }

    /** The contract alone, to check events before they are produced. */
    public static EventContract of(List<SchemaField> contract) {
        return new EventContract(contract, IcebergSchemas.rawTableSchema(contract));
    }

    private int position(String column) {
        List<Types.NestedField> columns = tableSchema.columns();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("the raw table has no column " + column);
    }

    /** An event read and checked: the row, or why it was refused. */
    public record Outcome(Record row, String refusal) {
        public boolean accepted() {
            return refusal == null;
        }
    }

    /**
     * Reads one JSON event and checks it against the contract. A valid event of a flat contract is read straight
     * into its row; an event that path is not sure of, every refused one included, is read again as a tree, whose
     * check gives the refusal and its reason.
     */
    public Outcome read(byte[] json) {
        if (flat != null) {
            GenericRecord row = flat.read(json);
            if (row != null) {
                return new Outcome(row, null);
            }
        }
        return readTree(json);
    }

    /** The row of a valid event read by the fast path alone; null when that path gives up or there is none. */
    GenericRecord readFast(byte[] json) {
        return flat == null ? null : flat.read(json);
    }

    /** Reads one JSON event as a tree and checks it: the reference the fast path must agree with. */
    Outcome readTree(byte[] json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JacksonException e) {
            return new Outcome(null, malformed(e));
        }
        return check(node);
    }

    /** A parse error in plain words: what was wrong and where, without the parser's settings or source excerpt. */
    static String malformed(JacksonException e) {
        String message = String.valueOf(e.getOriginalMessage()).strip();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline).strip();
        }
        message = message.replaceAll("\\s*\\([^()]*\\[Source:[^\\]]*\\][^()]*\\)", "")
                .replaceAll("\\s*\\[Source:[^\\]]*\\]", "")
                .replaceAll("\\s*\\(`?StreamReadFeature[^)]*\\)", "");
        TokenStreamLocation at = e.getLocation();
        return "malformed JSON: " + message + (at != null && at.getLineNr() > 0
                ? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : "");
    }

    /** Checks a parsed event against the contract. */
    public Outcome check(JsonNode node) {
        if (node == null || !node.isObject()) {
            return new Outcome(null, "an event is a JSON object, got " + describe(node));
        }
        GenericRecord row = template.copy();
        String refusal;
        try {
            refusal = root.fill(node, row, "");
        } catch (RuntimeException e) {
            // No event may stop a landing job: one the checks above did not foresee is refused, not thrown.
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
            return new Outcome(null, "the event could not be checked: "
                    + (message.length() > 200 ? message.substring(0, 200) + "…" : message));
        }
        return refusal == null ? new Outcome(row, null) : new Outcome(null, refusal);
    }

    /** Sets the ingestion columns of an accepted row. */
    public void stamp(Record row, int partition, long offset, OffsetDateTime kafkaTime, OffsetDateTime readAt) {
        row.set(sourcePartition, partition);
        row.set(sourceOffset, offset);
        row.set(kafkaTimestamp, kafkaTime);
        row.set(ingestedAt, readAt);
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String type = node.isObject() ? "an object" : node.isArray() ? "an array" : node.isString() ? "a string"
                : node.isNumber() ? "a number" : node.isBoolean() ? "a boolean" : node.isNull() ? "null" : "a value";
        String text = node.isContainer() || node.isNull() ? "" : " " + node.toString();
        return type + (text.length() > 60 ? text.substring(0, 60) + "…" : text);
    }

    /** How one field's value is checked and converted. */
    private abstract static class Rule {
        final String name;
        final boolean required;

        Rule(String name, boolean required) {
            this.name = name;
            this.required = required;
        }

        /** The converted value, or a {@link Refusal}. */
        abstract Object convert(JsonNode value, String path);
    }

    private record Refusal(String reason) {
    }

    private static Rule rule(SchemaField field, Type tableType) {
        FieldType type = FieldType.parse(field.type());
        boolean required = field.mandatory();
        return switch (type.kind()) {
            case STRUCT -> new StructRule(field.name(), required, field.fields(), tableType.asStructType());
            case LIST -> new ListRule(field.name(), required, rule(field.items(),
                    tableType.asListType().elementType()));
            default -> new ValueRule(field.name(), required, type, tableType);
        };
    }

    private static final class StructRule extends Rule {
        private final Map<String, Rule> fields = new HashMap<>();
        private final Map<String, Integer> positions = new HashMap<>();
        private final List<Rule> requiredFields = new ArrayList<>();
        private final Types.StructType struct;

        StructRule(List<SchemaField> contract, Types.StructType struct) {
            this(null, false, contract, struct);
        }

        StructRule(String name, boolean required, List<SchemaField> contract, Types.StructType struct) {
            super(name, required);
            this.struct = struct;
            List<Types.NestedField> columns = struct.fields();
            for (SchemaField field : contract) {
                int position = -1;
                for (int i = 0; i < columns.size(); i++) {
                    if (columns.get(i).name().equals(field.name())) {
                        position = i;
                    }
                }
                if (position < 0) {
                    throw new IllegalArgumentException("the raw table has no column for contract field " + field.name());
                }
                Rule rule = rule(field, columns.get(position).type());
                fields.put(field.name(), rule);
                positions.put(field.name(), position);
                if (rule.required) {
                    requiredFields.add(rule);
                }
            }
        }

        String fill(JsonNode object, Record row, String prefix) {
            for (Map.Entry<String, JsonNode> entry : object.properties()) {
                Rule rule = fields.get(entry.getKey());
                String path = prefix + entry.getKey();
                if (rule == null) {
                    return "unknown field '" + path + "'";
                }
                JsonNode value = entry.getValue();
                if (value.isNull()) {
                    if (rule.required) {
                        return "required field '" + path + "' is null";
                    }
                    continue;
                }
                Object converted = rule.convert(value, path);
                if (converted instanceof Refusal refusal) {
                    return refusal.reason();
                }
                row.set(positions.get(entry.getKey()), converted);
            }
            for (Rule rule : requiredFields) {
                JsonNode value = object.get(rule.name);
                if (value == null || value.isMissingNode()) {
                    return "missing required field '" + prefix + rule.name + "'";
                }
            }
            return null;
        }

        @Override
        Object convert(JsonNode value, String path) {
            if (!value.isObject()) {
                return new Refusal("field '" + path + "' must be an object, got " + describe(value));
            }
            GenericRecord nested = GenericRecord.create(struct);
            String refusal = fill(value, nested, path + ".");
            return refusal == null ? nested : new Refusal(refusal);
        }
    }

    private static final class ListRule extends Rule {
        private final Rule items;

        ListRule(String name, boolean required, Rule items) {
            super(name, required);
            this.items = items;
        }

        @Override
        Object convert(JsonNode value, String path) {
            if (!value.isArray()) {
                return new Refusal("field '" + path + "' must be an array, got " + describe(value));
            }
            List<Object> list = new ArrayList<>(value.size());
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                if (item.isNull()) {
                    list.add(null);
                    continue;
                }
                Object converted = items.convert(item, path + "[" + i + "]");
                if (converted instanceof Refusal) {
                    return converted;
                }
                list.add(converted);
            }
            return list;
        }
    }

    private static final class ValueRule extends Rule {
        private final FieldType type;
        private final Type.TypeID tableType;
        private final int scale;

        ValueRule(String name, boolean required, FieldType type, Type tableType) {
            super(name, required);
            this.type = type;
            this.tableType = tableType.typeId();
            this.scale = tableType instanceof Types.DecimalType decimal ? decimal.scale() : type.scale();
        }

        @Override
        Object convert(JsonNode value, String path) {
            switch (type.kind()) {
                case STRING:
                    return value.isString() ? value.asString() : wrongType(path, value);
                case INT:
                    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                        return wrongType(path, value);
                    }
                    return tableType == Type.TypeID.LONG ? (Object) value.longValue() : (Object) value.intValue();
                case LONG:
                    return value.isIntegralNumber() && value.canConvertToLong() ? value.longValue()
                            : wrongType(path, value);
                case DOUBLE: {
                    if (!value.isNumber()) {
                        return wrongType(path, value);
                    }
                    // 1e309 is a JSON number but no double: refused, as any value the column cannot hold.
                    double number = value.decimalValue().doubleValue();
                    return Double.isInfinite(number) ? new Refusal("field '" + path + "' does not fit a double, got "
                            + describe(value)) : (Object) number;
                }
                case BOOLEAN:
                    return value.isBoolean() ? value.booleanValue() : wrongType(path, value);
                case DECIMAL:
                    return decimal(value, path);
                case DATE:
                    if (!value.isString()) {
                        return wrongType(path, value);
                    }
                    try {
                        return LocalDate.parse(value.asString());
                    } catch (DateTimeParseException e) {
                        return new Refusal("field '" + path + "' must be a date YYYY-MM-DD, got " + describe(value));
                    }
                case TIMESTAMP:
                    if (!value.isString()) {
                        return wrongType(path, value);
                    }
                    String text = value.asString();
                    OffsetDateTime common = IsoTimestamps.parse(text.toCharArray(), 0, text.length());
                    if (common != null) {
                        return common;
                    }
                    try {
                        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                    } catch (DateTimeParseException e) {
                        return new Refusal("field '" + path + "' must be an ISO-8601 timestamp with an offset "
                                + "(2026-01-31T12:00:00Z), got " + describe(value));
                    }
                default:
                    throw new IllegalStateException("not a value type: " + type);
            }
        }

        private Object decimal(JsonNode value, String path) {
            BigDecimal number;
            if (value.isNumber()) {
                number = value.decimalValue();
            } else if (value.isString()) {
                try {
                    number = new BigDecimal(value.asString().trim());
                } catch (NumberFormatException e) {
                    return new Refusal("field '" + path + "' must be a decimal, got " + describe(value));
                }
            } else {
                return wrongType(path, value);
            }
            return scaled(number, path);
        }

        /** The number at the column's scale, or a {@link Refusal}. */
        private Object scaled(BigDecimal number, String path) {
            BigDecimal scaled;
            try {
                scaled = number.setScale(scale, RoundingMode.UNNECESSARY);
            } catch (ArithmeticException e) {
                return new Refusal("field '" + path + "' has more than " + scale + " decimal places: " + number);
            }
            if (scaled.precision() > type.precision()) {
                return new Refusal("field '" + path + "' does not fit " + type + ": " + number);
            }
            return scaled;
        }

        /**
         * The value at the parser's current token when it is certainly valid and converts as {@link #convert} would;
         * null when not sure (the tree path then decides).
         */
        Object convertCurrent(JsonParser parser, JsonToken token) {
            switch (type.kind()) {
                case STRING:
                    return token == JsonToken.VALUE_STRING ? parser.getString() : null;
                case INT:
                    if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
                        return null;
                    }
                    return tableType == Type.TypeID.LONG ? (Object) (long) parser.getIntValue()
                            : (Object) parser.getIntValue();
                case LONG:
                    return token == JsonToken.VALUE_NUMBER_INT && (parser.getNumberType() == JsonParser.NumberType.INT
                            || parser.getNumberType() == JsonParser.NumberType.LONG) ? parser.getLongValue() : null;
                case DOUBLE:
                    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                        // As the strict reader keeps floats: a BigDecimal, then its double.
                        double number = parser.getDecimalValue().doubleValue();
                        return Double.isInfinite(number) ? null : number;
                    }
                    return token == JsonToken.VALUE_NUMBER_INT && (parser.getNumberType() == JsonParser.NumberType.INT
                            || parser.getNumberType() == JsonParser.NumberType.LONG)
                            ? (double) parser.getLongValue() : null;
                case BOOLEAN:
                    return token == JsonToken.VALUE_TRUE ? Boolean.TRUE
                            : token == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
                case DECIMAL: {
                    BigDecimal number;
                    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                        number = parser.getDecimalValue();
                    } else if (token == JsonToken.VALUE_NUMBER_INT
                            && (parser.getNumberType() == JsonParser.NumberType.INT
                            || parser.getNumberType() == JsonParser.NumberType.LONG)) {
                        number = BigDecimal.valueOf(parser.getLongValue());
                    } else if (token == JsonToken.VALUE_STRING) {
                        try {
                            number = new BigDecimal(parser.getString().trim());
                        } catch (NumberFormatException e) {
                            return null;
                        }
                    } else {
                        return null;
                    }
                    Object scaled = scaled(number, name);
                    return scaled instanceof Refusal ? null : scaled;
                }
                case DATE:
                    if (token != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    try {
                        return LocalDate.parse(parser.getString());
                    } catch (DateTimeParseException e) {
                        return null;
                    }
                case TIMESTAMP:
                    if (token != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    OffsetDateTime common = IsoTimestamps.parse(parser.getStringCharacters(), parser.getStringOffset(),
                            parser.getStringLength());
                    if (common != null) {
                        return common;
                    }
                    try {
                        return OffsetDateTime.parse(parser.getString(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                    } catch (DateTimeParseException e) {
                        return null;
                    }
                default:
                    return null;
            }
        }

        private Refusal wrongType(String path, JsonNode value) {
            return new Refusal("field '" + path + "' must be " + article(type) + ", got " + describe(value));
        }

        private static String article(FieldType type) {
            String name = type.toString();
            return (name.startsWith("int") ? "an " : "a ") + name;
        }
    }

    /**
     * The fast path for a contract of top-level values only (most are): one pass of a streaming parser fills the row,
     * without a JSON tree. It gives up (null) on anything it is not sure is valid: an unknown, duplicate or missing
     * field, a null in a required one, a value of another type or out of range, more than one JSON value. The tree
     * path then reads the event again and decides, so that every refusal and its reason come from one place.
     */
    private static final class FlatReader {
        private final Map<String, Integer> slots = new HashMap<>();
        private final ValueRule[] rules;
        private final int[] positions;
        private final long required;
        private final GenericRecord template;

        private FlatReader(StructRule root, GenericRecord template) {
            this.template = template;
            this.rules = new ValueRule[root.fields.size()];
            this.positions = new int[rules.length];
            long requiredBits = 0;
            int slot = 0;
            for (Map.Entry<String, Rule> field : root.fields.entrySet()) {
                slots.put(field.getKey(), slot);
                rules[slot] = (ValueRule) field.getValue();
                positions[slot] = root.positions.get(field.getKey());
                if (field.getValue().required) {
                    requiredBits |= 1L << slot;
                }
                slot++;
            }
            this.required = requiredBits;
        }

        /** A reader for this contract, or null when it has nested fields or more than 64 fields. */
        static FlatReader of(StructRule root, GenericRecord template) {
            if (root.fields.size() > 64 || !root.fields.values().stream().allMatch(r -> r instanceof ValueRule)) {
                return null;
            }
            return new FlatReader(root, template);
        }

        GenericRecord read(byte[] json) {
            try (JsonParser parser = STREAMING.createParser(json)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    return null;
                }
                GenericRecord row = template.copy();
                long seen = 0;
                JsonToken token;
                while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                    Integer slot = slots.get(parser.currentName());
                    if (slot == null) {
                        return null;
                    }
                    long bit = 1L << slot;
                    if ((seen & bit) != 0) {
                        return null;
                    }
                    seen |= bit;
                    JsonToken value = parser.nextToken();
                    if (value == JsonToken.VALUE_NULL) {
                        if ((required & bit) != 0) {
                            return null;
                        }
                        continue;
                    }
                    Object converted = rules[slot].convertCurrent(parser, value);
                    if (converted == null) {
                        return null;
                    }
                    row.set(positions[slot], converted);
                }
                if (token != JsonToken.END_OBJECT || (seen & required) != required || parser.nextToken() != null) {
                    return null;
                }
                return row;
            } catch (RuntimeException e) {
                // Malformed JSON among others: the tree path says what is wrong with it.
                return null;
            }
        }
    }
}
