package dev.meshplatform.app.security;

import dev.meshplatform.registry.api.MeshPrincipal;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.util.Optional;

/**
 * The caller of the current request, as far as the mesh is concerned: a metrics reader's key acts on nothing in the
 * mesh, so here it is no principal at all (the filter chain refuses it before; this holds should a rule ever miss it).
 */
public final class CurrentPrincipal {

    private CurrentPrincipal() {
    }

    /** The caller, if it may act in the mesh: empty without credentials and for a metrics reader. */
    public static Optional<MeshPrincipal> find() {
        return authenticated().filter(principal -> principal.role().actsInMesh());
    }

    /** The caller that may act in the mesh; otherwise refused (403). */
    public static MeshPrincipal get() {
        return find().orElseThrow(() -> new AccessDeniedException("no principal that may act in the mesh"));
    }

    /** Whoever authenticated, whatever their role: for the audit of who asked, never for a decision here. */
    static Optional<MeshPrincipal> authenticated() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof MeshAuthentication mesh ? Optional.of(mesh.getPrincipal()) : Optional.empty();
    }
}
