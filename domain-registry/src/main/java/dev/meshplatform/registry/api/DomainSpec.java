package dev.meshplatform.registry.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.util.List;

/** What a client sets on a domain; the name comes from the path or the create request. */
public record DomainSpec(
        @NotBlank @Size(max = 200) String title,
        @Size(max = 4000) String description,
        @NotBlank @Size(max = 200) String ownerTeam,
        @Size(max = 20) List<@Valid Contact> contacts) {

    public DomainSpec {
        contacts = contacts == null ? List.of() : List.copyOf(contacts);
    }
}
