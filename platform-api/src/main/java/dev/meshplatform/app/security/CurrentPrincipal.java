package dev.meshplatform.app.security;

import dev.meshplatform.registry.api.MeshPrincipal;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.util.Optional;

/** The caller of the current request. */
public final class CurrentPrincipal {

    private CurrentPrincipal() {
    }

    public static Optional<MeshPrincipal> find() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof MeshAuthentication mesh ? Optional.of(mesh.getPrincipal()) : Optional.empty();
    }

    public static MeshPrincipal get() {
        return find().orElseThrow(() -> new AccessDeniedException("no authenticated principal"));
    }
}
