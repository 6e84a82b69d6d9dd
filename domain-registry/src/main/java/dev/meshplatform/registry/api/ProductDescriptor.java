package dev.meshplatform.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a domain team declares about one version of a data product. The lifecycle status is not part of it:
 * the server keeps that. docs/descriptor.md maps every field onto ODPS 1.0 and ODCS 3.1.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"title", "description", "owner", "support", "tags", "inputPorts", "outputPort", "schema",
        "slos", "quality", "transformation", "retention", "customProperties"})
public record ProductDescriptor(
        @NotBlank @Size(max = 200) String title,
        @Size(max = 4000) String description,
        @Valid Owner owner,
        @Size(max = 20) List<@Valid Support> support,
        @Size(max = 50) List<@NotBlank @Size(max = 64) String> tags,
        @Size(max = 20) List<@Valid InputPort> inputPorts,
        @Valid OutputPort outputPort,
        @NotEmpty @Size(max = 2000) List<@Valid SchemaField> schema,
        @Valid Slos slos,
        @Size(max = 200) List<@Valid QualityRule> quality,
        @Valid Transformation transformation,
        @Valid Retention retention,
        @Size(max = 100) Map<String, Object> customProperties) {

    public ProductDescriptor {
        support = support == null ? List.of() : List.copyOf(support);
        tags = tags == null ? List.of() : List.copyOf(tags);
        inputPorts = inputPorts == null ? List.of() : List.copyOf(inputPorts);
        schema = schema == null ? List.of() : List.copyOf(schema);
        quality = quality == null ? List.of() : List.copyOf(quality);
        customProperties = customProperties == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(customProperties));
    }

    /** The input port fed by the product's own Kafka topic, if it has one. */
    public Optional<InputPort> kafkaInput() {
        return inputPorts.stream().filter(p -> p.type() == InputPort.Type.KAFKA).findFirst();
    }

    /** Input ports that read other products' output ports. */
    public List<InputPort> productInputs() {
        return inputPorts.stream().filter(p -> p.type() == InputPort.Type.PRODUCT).toList();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Owner(@NotBlank @Size(max = 200) String team,
                        @Size(max = 20) List<@Valid Contact> contacts) {
        public Owner {
            contacts = contacts == null ? List.of() : List.copyOf(contacts);
        }
    }

    /** A support channel (ODPS {@code support}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Support(@NotBlank @Size(max = 100) String channel,
                          @NotBlank @Size(max = 2000) String url,
                          @Size(max = 1000) String description) {
    }

    /** Service levels the owners promise. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Slos(
            /* ISO-8601 duration: the newest data is at most this old, e.g. PT1H. */
            @Size(max = 64) String freshness,
            /* Percent of expected records present, 0 to 100. */
            @DecimalMin("0") @DecimalMax("100")
            BigDecimal completeness) {
    }

    /** How long data is kept, as an ISO-8601 period or duration (P30D, P1Y, PT12H). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Retention(@NotBlank @Size(max = 64) String period) {
    }
}
