package dev.meshplatform.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The product's Iceberg table {@code <domain>.<product>_v<major>}.
 *
 * @param partitioning Iceberg partition transforms over top-level fields: {@code column}, {@code year(c)},
 *                     {@code month(c)}, {@code day(c)}, {@code hour(c)}, {@code bucket(N, c)}, {@code truncate(N, c)}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutputPort(
        @Size(max = 63) String name,
        @Size(max = 1000) String description,
        @Size(max = 10) List<@NotBlank @Size(max = 200) String> partitioning) {

    public OutputPort {
        partitioning = partitioning == null ? List.of() : List.copyOf(partitioning);
    }
}
