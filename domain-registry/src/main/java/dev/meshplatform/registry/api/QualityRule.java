package dev.meshplatform.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.math.BigDecimal;
import java.util.List;

/**
 * A check on a run's result before it is published.
 * <ul>
 *   <li>{@code not_null}, {@code unique}: {@code column} (or {@code columns} for a unique combination);</li>
 *   <li>{@code accepted_values}: {@code column} and {@code values};</li>
 *   <li>{@code range}: {@code column} with {@code min} and/or {@code max}, inclusive;</li>
 *   <li>{@code row_count}: {@code min} and/or {@code max};</li>
 *   <li>{@code sql}: {@code query}, a Spark SQL query over the view {@code output} that returns one number,
 *       checked against {@code min} and/or {@code max}.</li>
 * </ul>
 * A rule of severity {@code error} (the default) blocks publication; {@code warn} only reports.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QualityRule(
        @NotBlank @Size(max = 100) String name,
        @NotNull Type type,
        @Size(max = 128) String column,
        @Size(max = 20) List<@NotBlank @Size(max = 128) String> columns,
        @Size(max = 1000) List<@NotNull Object> values,
        BigDecimal min,
        BigDecimal max,
        @Size(max = 10000) String query,
        Severity severity,
        @Size(max = 1000) String description) {

    public QualityRule {
        columns = columns == null ? null : List.copyOf(columns);
        values = values == null ? null : List.copyOf(values);
    }

    /** Whether a failure blocks publication (severity error, the default). */
    public boolean blocking() {
        return severity != Severity.WARN;
    }

    public enum Type {
        @JsonProperty("not_null") NOT_NULL,
        @JsonProperty("unique") UNIQUE,
        @JsonProperty("accepted_values") ACCEPTED_VALUES,
        @JsonProperty("range") RANGE,
        @JsonProperty("row_count") ROW_COUNT,
        @JsonProperty("sql") SQL
    }

    public enum Severity {
        @JsonProperty("error") ERROR,
        @JsonProperty("warn") WARN
    }
}
