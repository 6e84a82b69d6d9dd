package dev.meshplatform.processing.runs;

import dev.meshplatform.registry.api.FieldType;
import dev.meshplatform.registry.api.SchemaField;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/** The contract's types in Spark's terms. Timestamps carry an offset: Spark's TIMESTAMP (with local time zone). */
final class SparkTypes {

    private SparkTypes() {
    }

    public static StructType schema(List<SchemaField> fields) {
        return DataTypes.createStructType(fields.stream()
                .map(f -> DataTypes.createStructField(f.name(), type(f), !f.mandatory()))
                .toArray(StructField[]::new));
    }

    public static DataType type(SchemaField field) {
        FieldType type = FieldType.parse(field.type());
        return switch (type.kind()) {
            case STRING -> DataTypes.StringType;
            case INT -> DataTypes.IntegerType;
            case LONG -> DataTypes.LongType;
            case DOUBLE -> DataTypes.DoubleType;
            case DECIMAL -> DataTypes.createDecimalType(type.precision(), type.scale());
            case BOOLEAN -> DataTypes.BooleanType;
            case DATE -> DataTypes.DateType;
            case TIMESTAMP -> DataTypes.TimestampType;
            case STRUCT -> schema(field.fields());
            case LIST -> DataTypes.createArrayType(type(field.items()), true);
        };
    }
}
