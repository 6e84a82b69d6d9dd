package dev.meshplatform.processing.runs;

import dev.meshplatform.registry.api.MaskKind;
import dev.meshplatform.registry.api.RowFilter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * A view's data as platform code reads it for the query: the table's current (published) data, only the rows the
 * grant's filters admit, only the granted columns, the masks applied where they are (nested paths included).
 */
final class GovernedView {

    private GovernedView() {
    }

    static Dataset<Row> read(SparkSession platform, RunSpec.View view, String maskHashKey) {
        Dataset<Row> data = platform.table(view.table().sparkName(SandboxedRun.CATALOG));
        for (RowFilter filter : view.rowFilters()) {
            data = data.filter(condition(data, filter));
        }
        if (!view.columns().isEmpty()) {
            data = data.select(view.columns().stream().map(c -> col("`" + c + "`")).toArray(Column[]::new));
        }
        return view.masks().isEmpty() ? data : SparkMasks.apply(data, view.masks(), maskHashKey);
    }

    /** A grant's row filter as a Spark condition, its values typed as the column is (as serving types them). */
    static Column condition(Dataset<Row> data, RowFilter filter) {
        StructField field = field(data, filter.column());
        Column column = col("`" + field.name() + "`");
        DataType type = field.dataType();
        List<Column> values = filter.values().stream().map(v -> lit(v).cast(type)).toList();
        return switch (filter.operator()) {
            case EQ -> column.equalTo(values.get(0));
            case NE -> column.notEqual(values.get(0));
            case LT -> column.lt(values.get(0));
            case LE -> column.leq(values.get(0));
            case GT -> column.gt(values.get(0));
            case GE -> column.geq(values.get(0));
            case IN -> column.isin(values.toArray());
            case IS_NULL -> column.isNull();
            case NOT_NULL -> column.isNotNull();
        };
    }

    private static StructField field(Dataset<Row> data, String name) {
        for (StructField field : data.schema().fields()) {
            if (field.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return field;
            }
        }
        throw new IllegalStateException("the grant filters on column '" + name + "', which the input does not have");
    }

    /** For tests: the masks of a view applied to any data. */
    static Dataset<Row> masked(Dataset<Row> data, Map<String, MaskKind> masks, String key) {
        return SparkMasks.apply(data, masks, key);
    }
}
