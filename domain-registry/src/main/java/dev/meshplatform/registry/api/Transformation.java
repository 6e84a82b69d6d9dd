package dev.meshplatform.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * How the output port is computed: Spark SQL over the view {@code raw} and the declared input products,
 * optionally on a 5-field cron {@code schedule}, writing in {@code mode} (merge needs {@code mergeKeys}).
 * {@code timeLimit} (ISO-8601, e.g. {@code PT10M}) bounds each run; the platform's default applies when absent, and
 * its maximum caps it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Transformation(
        @NotBlank @Size(max = 100_000) String sql,
        @Size(max = 100) String schedule,
        Mode mode,
        @Size(max = 10) List<@NotBlank @Size(max = 128) String> mergeKeys,
        @Size(max = 32) String timeLimit) {

    public Transformation {
        mergeKeys = mergeKeys == null ? null : List.copyOf(mergeKeys);
    }

    /** The time limit the descriptor asks for, or null for the platform's default. */
    public java.time.Duration requestedTimeLimit() {
        return timeLimit == null ? null : java.time.Duration.parse(timeLimit);
    }

    public Mode effectiveMode() {
        return mode == null ? Mode.OVERWRITE : mode;
    }

    public enum Mode {
        @JsonProperty("overwrite") OVERWRITE,
        @JsonProperty("append") APPEND,
        @JsonProperty("merge") MERGE
    }
}
