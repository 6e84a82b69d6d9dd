package dev.meshplatform.processing.runs;

import dev.meshplatform.registry.api.MaskKind;
import dev.meshplatform.registry.api.Masker;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.apache.spark.sql.functions.char_length;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.repeat;
import static org.apache.spark.sql.functions.right;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

/**
 * The masks of {@link Masker} as Spark expressions, for the views a run reads: the same rules, so that a run sees an
 * input masked exactly as serving would serve it. The HASH mask's key lives only in a function's closure (the same
 * HMAC as serving's), never in a literal of the plan, where an error message or a plan's text could show it.
 */
final class SparkMasks {

    private SparkMasks() {
    }

    /** {@code data} with every masked path masked; masks are keyed by paths as {@link Masker#apply} takes them. */
    static Dataset<Row> apply(Dataset<Row> data, Map<String, MaskKind> masks, String hashKey) {
        UserDefinedFunction hmac = hmac(hashKey);
        Map<String, Node> byColumn = new LinkedHashMap<>();
        masks.forEach((path, kind) -> {
            String[] steps = path.split("\\.");
            byColumn.computeIfAbsent(stripLists(steps[0]), c -> new Node()).add(steps, 0, kind);
        });
        Dataset<Row> masked = data;
        for (StructField field : data.schema().fields()) {
            Node node = byColumn.get(field.name());
            if (node != null) {
                masked = masked.withColumn(field.name(), node.apply(col("`" + field.name() + "`"), field.dataType(),
                        hmac));
            }
        }
        return masked;
    }

    private static UserDefinedFunction hmac(String hashKey) {
        Masker.KeyedHash hash = hashKey == null ? null
                : new Masker.KeyedHash(hashKey.getBytes(StandardCharsets.UTF_8));
        UDF1<String, String> function = text -> {
            if (hash == null) {
                throw new IllegalStateException("the HASH mask has no key");
            }
            return text == null ? null : hash.hex(text);
        };
        return org.apache.spark.sql.functions.udf(function, DataTypes.StringType).asNondeterministic()
                .withName("mesh_mask_hash");
    }

    private static String stripLists(String step) {
        String name = step;
        while (name.endsWith("[]")) {
            name = name.substring(0, name.length() - 2);
        }
        return name;
    }

    /** The masks under one value: its own mask, its struct fields' masks, or its items' masks. */
    private static final class Node {

        private MaskKind mask;
        private final Map<String, Node> fields = new LinkedHashMap<>();
        private Node items;

        /** Adds the mask of the path {@code steps} from step {@code at}, whose name this node is. */
        void add(String[] steps, int at, MaskKind kind) {
            String step = steps[at];
            int lists = 0;
            while (step.endsWith("[]")) {
                step = step.substring(0, step.length() - 2);
                lists++;
            }
            Node target = this;
            for (int i = 0; i < lists; i++) {
                if (target.items == null) {
                    target.items = new Node();
                }
                target = target.items;
            }
            if (at + 1 == steps.length) {
                target.mask = strongest(target.mask, kind);
            } else {
                target.fields.computeIfAbsent(stripLists(steps[at + 1]), n -> new Node()).add(steps, at + 1, kind);
            }
        }

        Column apply(Column value, DataType type, UserDefinedFunction hmac) {
            if (mask != null) {
                return mask(mask, value, type, hmac);
            }
            if (items != null) {
                if (!(type instanceof ArrayType array)) {
                    return mask(strongest(), value, type, hmac);
                }
                return transform(value, item -> items.apply(item, array.elementType(), hmac));
            }
            if (!(type instanceof StructType struct)) {
                return mask(strongest(), value, type, hmac);
            }
            Column result = value;
            for (StructField field : struct.fields()) {
                Node node = fields.get(field.name());
                if (node != null) {
                    result = result.withField(field.name(), node.apply(value.getField(field.name()),
                            field.dataType(), hmac));
                }
            }
            // A null struct stays null: withField would build one.
            return when(value.isNull(), lit(null)).otherwise(result);
        }

        /** The strongest mask anywhere under this node: what a value whose shape does not fit its paths gets. */
        MaskKind strongest() {
            MaskKind found = mask;
            for (Node node : fields.values()) {
                found = strongest(found, node.strongest());
            }
            if (items != null) {
                found = strongest(found, items.strongest());
            }
            return found;
        }

        private static MaskKind strongest(MaskKind a, MaskKind b) {
            if (a == null) {
                return b;
            }
            if (b == null) {
                return a;
            }
            return a.ordinal() <= b.ordinal() ? a : b;
        }
    }

    /** One mask over one value of a type, as {@link Masker#mask} does it. */
    static Column mask(MaskKind kind, Column value, DataType type, UserDefinedFunction hmac) {
        boolean composite = type instanceof StructType || type instanceof ArrayType
                || type instanceof org.apache.spark.sql.types.MapType;
        Column redacted = when(value.isNotNull(), lit(Masker.REDACTED));
        return switch (kind) {
            case NULL -> lit(null).cast(type);
            case REDACT -> redacted;
            case HASH -> composite ? redacted : hmac.apply(text(value, type));
            case LAST4 -> {
                if (composite) {
                    yield redacted;
                }
                Column text = text(value, type);
                Column keep = least(lit(4), floor(char_length(text).divide(2)).cast("int"));
                yield concat(repeat(lit("*"), char_length(text).minus(keep)), right(text, keep));
            }
            case YEAR -> type instanceof DateType || type instanceof TimestampType ? year(value) : redacted;
        };
    }

    /** The canonical text of a value, as {@link Masker#canonicalText} writes it. */
    static Column text(Column value, DataType type) {
        if (type instanceof StringType) {
            return value;
        }
        if (type instanceof TimestampType) {
            return date_format(value, Masker.TIMESTAMP_PATTERN);
        }
        return value.cast(DataTypes.StringType);
    }
}
