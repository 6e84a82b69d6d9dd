package dev.meshplatform.ingestion.landing;

import dev.meshplatform.ingestion.api.RawTables;
import dev.meshplatform.registry.api.FieldType;
import dev.meshplatform.registry.api.SchemaField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The contract's fields as an Iceberg schema, plus the ingestion columns. Every contract field is optional in the
 * table: the landing job enforces {@code required}, and a later minor version may add fields that old rows lack.
 */
final class IcebergSchemas {

    private IcebergSchemas() {
    }

    public static Schema rawTableSchema(List<SchemaField> contract) {
        AtomicInteger ids = new AtomicInteger(0);
        List<Types.NestedField> columns = new ArrayList<>();
        for (SchemaField field : contract) {
            columns.add(Types.NestedField.optional(ids.incrementAndGet(), field.name(), type(field, ids),
                    field.description()));
        }
        columns.add(Types.NestedField.required(ids.incrementAndGet(), RawTables.SOURCE_PARTITION,
                Types.IntegerType.get(), "Kafka partition the event was read from"));
        columns.add(Types.NestedField.required(ids.incrementAndGet(), RawTables.SOURCE_OFFSET,
                Types.LongType.get(), "Kafka offset of the event"));
        columns.add(Types.NestedField.optional(ids.incrementAndGet(), RawTables.KAFKA_TIMESTAMP,
                Types.TimestampType.withZone(), "the Kafka record's timestamp"));
        columns.add(Types.NestedField.required(ids.incrementAndGet(), RawTables.INGESTED_AT,
                Types.TimestampType.withZone(), "when the landing job read the event"));
        return new Schema(columns);
    }

    public static PartitionSpec rawTablePartitioning(Schema schema) {
        return PartitionSpec.builderFor(schema).day(RawTables.INGESTED_AT).build();
    }

    static Type type(SchemaField field, AtomicInteger ids) {
        FieldType type = FieldType.parse(field.type());
        return switch (type.kind()) {
            case STRING -> Types.StringType.get();
            case INT -> Types.IntegerType.get();
            case LONG -> Types.LongType.get();
            case DOUBLE -> Types.DoubleType.get();
            case DECIMAL -> Types.DecimalType.of(type.precision(), type.scale());
            case BOOLEAN -> Types.BooleanType.get();
            case DATE -> Types.DateType.get();
            case TIMESTAMP -> Types.TimestampType.withZone();
            case STRUCT -> {
                List<Types.NestedField> nested = new ArrayList<>();
                for (SchemaField child : field.fields()) {
                    nested.add(Types.NestedField.optional(ids.incrementAndGet(), child.name(), type(child, ids),
                            child.description()));
                }
                yield Types.StructType.of(nested);
            }
            case LIST -> {
                int elementId = ids.incrementAndGet();
                yield Types.ListType.ofOptional(elementId, type(field.items(), ids));
            }
        };
    }
}
