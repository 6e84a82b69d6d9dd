package dev.meshplatform.registry.api;

import java.util.Objects;

/**
 * Who is calling: an API key or a JWT subject, with its role and, unless it is an admin, its domain.
 *
 * @param name   the key id or the token subject; safe to log
 * @param role   the caller's role
 * @param domain the caller's domain; null for platform admins
 */
public record MeshPrincipal(String name, Role role, String domain) {

    public MeshPrincipal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        if (role.isDomainScoped() && (domain == null || domain.isBlank())) {
            throw new IllegalArgumentException("a " + role + " belongs to a domain");
        }
        if (!role.isDomainScoped()) {
            domain = null;
        }
    }

    public boolean isAdmin() {
        return role == Role.PLATFORM_ADMIN;
    }

    public boolean belongsTo(String domainName) {
        return domain != null && domain.equals(domainName);
    }
}
