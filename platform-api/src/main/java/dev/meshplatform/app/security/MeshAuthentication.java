package dev.meshplatform.app.security;

import dev.meshplatform.registry.api.MeshPrincipal;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.List;

/** An authenticated caller: an API key or a JWT, reduced to a {@link MeshPrincipal}. */
public final class MeshAuthentication extends AbstractAuthenticationToken {

    private final MeshPrincipal principal;

    public MeshAuthentication(MeshPrincipal principal) {
        super(List.of(new SimpleGrantedAuthority("ROLE_" + principal.role().name())));
        this.principal = principal;
        setAuthenticated(true);
    }

    @Override
    public MeshPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public String getName() {
        return principal.name();
    }
}
