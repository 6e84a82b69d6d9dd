package dev.meshplatform.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * One field of the product's contract. {@code type} is one of string, int, long, double, decimal(p,s), boolean,
 * date, timestamp, struct (with {@code fields}) and list (with {@code items}, whose name is not used).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "type", "required", "description", "classification", "tags", "fields", "items"})
public record SchemaField(
        @Size(max = 128) String name,
        @NotBlank @Size(max = 64) String type,
        Boolean required,
        @Size(max = 2000) String description,
        Classification classification,
        @Size(max = 20) List<@NotBlank @Size(max = 64) String> tags,
        @Size(max = 500) List<@Valid SchemaField> fields,
        @Valid SchemaField items) {

    public SchemaField {
        tags = tags == null ? List.of() : List.copyOf(tags);
        fields = fields == null ? null : List.copyOf(fields);
    }

    /** Whether a value must be present; absent means optional. */
    public boolean mandatory() {
        return Boolean.TRUE.equals(required);
    }

    /** How sensitive a field is; masking and access policies key on it. */
    public enum Classification {
        PUBLIC, INTERNAL, CONFIDENTIAL, PII
    }
}
