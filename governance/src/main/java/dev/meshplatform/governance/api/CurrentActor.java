package dev.meshplatform.governance.api;

import dev.meshplatform.registry.api.MeshPrincipal;

import java.util.Optional;

/**
 * Who is calling, for decisions taken where the caller is not passed along (the publish gate, asked by the
 * registry). The application provides it from its security context.
 */
@FunctionalInterface
public interface CurrentActor {

    Optional<MeshPrincipal> find();
}
