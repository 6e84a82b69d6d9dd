package dev.meshplatform.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A person or channel to reach a domain's team. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Contact(@NotBlank @Size(max = 200) String name,
                      @Email @Size(max = 320) String email,
                      @Size(max = 100) String role) {
}
