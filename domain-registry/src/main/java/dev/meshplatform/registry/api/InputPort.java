package dev.meshplatform.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Where a product's data comes from: its own Kafka topic ({@code kafka}), or another product's output port
 * ({@code product}) by domain, name and major version.
 *
 * @param partitions        kafka only: partitions of the topic; the platform's default when absent
 * @param replicationFactor kafka only: replicas of the topic; the platform's default when absent
 * @param startLanding      kafka only: start the landing job when the version is published (default true)
 * @param schema            kafka only: the contract of the events on the topic; when absent, the product's own
 *                          schema (a source-aligned product lands its events as they are)
 * @param purpose           product only: what the product reads the input for (lower-kebab). Runs read another
 *                          domain's product as {reading domain, RUN, purpose}: under an active grant for this purpose,
 *                          with its columns, row filters and the current masks. Required for another domain's product.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InputPort(
        @NotBlank @Size(max = 63) String name,
        @NotNull Type type,
        @Size(max = 63) String domain,
        @Size(max = 63) String product,
        @Min(0) Integer majorVersion,
        @Min(1) @Max(1000) Integer partitions,
        @Min(1) @Max(10) Integer replicationFactor,
        Boolean startLanding,
        @Size(max = 2000) List<@Valid SchemaField> schema,
        @Size(max = 200) String purpose) {

    public InputPort {
        schema = schema == null ? null : List.copyOf(schema);
    }

    /** The schema that events on this port must follow. */
    public List<SchemaField> eventSchema(ProductDescriptor product) {
        return schema != null ? schema : product.schema();
    }

    public enum Type {
        @JsonProperty("kafka") KAFKA,
        @JsonProperty("product") PRODUCT
    }
}
