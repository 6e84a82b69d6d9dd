package dev.meshplatform.registry.api;

import java.util.List;
import java.util.Objects;

/**
 * Which output columns of a version derive from which input columns, from the analyzed Spark plan of its
 * transformation (computed when the version is applied, over views of the inputs' declared schemas: no data read).
 *
 * @param status     whether the lineage could be computed
 * @param reason     for {@link Status#UNAVAILABLE}: why, in words
 * @param columns    each output column with the input columns its values derive from
 * @param referenced every input column the transformation reads anywhere (projections, filters, join keys, groups):
 *                   what a change of an input breaks
 */
public record ColumnLineage(Status status, String reason, List<OutputColumn> columns, List<InputColumn> referenced) {

    public enum Status {
        /** From the analyzed plan of the transformation, or the raw table's columns for a product without one. */
        COMPUTED,
        /** The transformation could not be analyzed: {@link #reason()} says why. */
        UNAVAILABLE
    }

    /**
     * How an output value derives from an input column, from the most to the least of the value carried over.
     * {@link #COUNTED} carries only how many values there were ({@code count(col)}, {@code approx_count_distinct}).
     */
    public enum Derivation {
        DIRECT, TRANSFORMED, AGGREGATED, COUNTED;

        /** A value derived in two steps derives the way of the step that carries least. */
        public Derivation then(Derivation next) {
            return compareTo(next) >= 0 ? this : next;
        }

        /** Whether the input's values flow into the output (anything but a count). */
        public boolean carriesValues() {
            return this != COUNTED;
        }
    }

    /** The input the platform named {@code raw} is the product's own Kafka input; others are product majors. */
    public static final String RAW = "raw";

    /**
     * An input column.
     *
     * @param input  {@value #RAW}, or the input product major as {@code <domain>/<product>/v<major>}
     *               ({@link ProductMajor#key()})
     * @param column the top-level column of that input
     */
    public record InputColumn(String input, String column) {

        public InputColumn {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(column, "column");
        }
    }

    /** One input column an output column derives from, and how. */
    public record Source(String input, String column, Derivation how) {

        public InputColumn inputColumn() {
            return new InputColumn(input, column);
        }
    }

    public record OutputColumn(String name, List<Source> from) {

        public OutputColumn {
            from = from == null ? List.of() : List.copyOf(from);
        }
    }

    public ColumnLineage {
        Objects.requireNonNull(status, "status");
        columns = columns == null ? List.of() : List.copyOf(columns);
        referenced = referenced == null ? List.of() : List.copyOf(referenced);
    }

    public static ColumnLineage unavailable(String reason) {
        return new ColumnLineage(Status.UNAVAILABLE, reason, List.of(), List.of());
    }

    public boolean computed() {
        return status == Status.COMPUTED;
    }

    /** The output column named {@code name} (case-insensitive, as Spark resolves names). */
    public java.util.Optional<OutputColumn> column(String name) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
    }

    /** Whether the transformation reads {@code column} of {@code input} anywhere. */
    public boolean reads(String input, String column) {
        return referenced.stream().anyMatch(c -> c.input().equals(input) && c.column().equalsIgnoreCase(column));
    }

    /** The key of an input product major as sources name it. */
    public static String input(String domain, String product, int major) {
        return new ProductMajor(domain, product, major).key();
    }
}
