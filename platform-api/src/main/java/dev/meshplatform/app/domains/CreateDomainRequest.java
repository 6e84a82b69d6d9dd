package dev.meshplatform.app.domains;

import dev.meshplatform.registry.api.Contact;
import dev.meshplatform.registry.api.DomainSpec;
import dev.meshplatform.registry.api.Names;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/** The body of {@code POST /api/v1/domains}. */
record CreateDomainRequest(
        @NotBlank @Pattern(regexp = Names.NAME_REGEX, message = "lower-kebab, 2 to 63 characters, starting with a letter")
        String name,
        @NotBlank @Size(max = 200) String title,
        @Size(max = 4000) String description,
        @NotBlank @Size(max = 200) String ownerTeam,
        @Size(max = 20) List<@Valid Contact> contacts) {

    DomainSpec spec() {
        return new DomainSpec(title, description, ownerTeam, contacts);
    }
}
