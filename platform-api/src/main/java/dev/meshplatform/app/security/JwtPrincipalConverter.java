package dev.meshplatform.app.security;

import dev.meshplatform.app.config.MeshSecurityProperties;
import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.Role;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

import java.util.Locale;

/** Maps an OAuth2 JWT to a principal through the configured role and domain claims. */
final class JwtPrincipalConverter implements Converter<Jwt, AbstractAuthenticationToken> {

    /** The width of the columns that record who did something (created_by, requested_by, actor, …). */
    static final int MAX_NAME = 200;

    private final MeshSecurityProperties.Jwt claims;

    JwtPrincipalConverter(MeshSecurityProperties.Jwt claims) {
        this.claims = claims;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        String roleClaim = jwt.getClaimAsString(claims.roleClaim());
        if (roleClaim == null) {
            throw new InvalidBearerTokenException("the token has no '" + claims.roleClaim() + "' claim");
        }
        Role role;
        try {
            role = Role.valueOf(roleClaim.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidBearerTokenException("the token's '" + claims.roleClaim() + "' claim is not a role: "
                    + roleClaim);
        }
        if (!role.isCredential()) {
            throw new InvalidBearerTokenException("the token's '" + claims.roleClaim() + "' claim names a role no "
                    + "token may have: " + roleClaim);
        }
        String domain = jwt.getClaimAsString(claims.domainClaim());
        if (role.isDomainScoped() && (domain == null || domain.isBlank())) {
            throw new InvalidBearerTokenException("a " + role + " token needs the '" + claims.domainClaim()
                    + "' claim");
        }
        String subject = jwt.getSubject() == null ? "jwt" : "jwt:" + jwt.getSubject();
        if (subject.length() > MAX_NAME) {
            // The caller's name is recorded as who did what (keys, runs, grants, the audit), in columns this wide.
            throw new InvalidBearerTokenException("the token's subject is longer than " + (MAX_NAME - 4)
                    + " characters");
        }
        return new MeshAuthentication(new MeshPrincipal(subject, role, domain));
    }
}
