package dev.meshplatform.registry.api;

import java.time.Instant;
import java.util.Optional;

/** API keys: issued, listed, revoked and checked on every request. */
public interface ApiKeyStore {

    /**
     * Issues a key of {@code role}; a domain-scoped role needs an existing {@code domain}, an admin or metrics reader
     * key none.
     */
    IssuedApiKey issue(String name, Role role, String domain, Instant expiresAt, String issuedBy);

    /** The principal behind a bearer token, if the token is an active key. */
    Optional<MeshPrincipal> authenticate(String bearerToken);

    PageResult<ApiKeyView> list(String domain, int page, int size);

    ApiKeyView get(String id);

    ApiKeyView revoke(String id);

    /** Whether an active admin key exists (to decide whether to generate a bootstrap key). */
    boolean hasActiveAdminKey();
}
