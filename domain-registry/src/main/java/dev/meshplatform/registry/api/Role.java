package dev.meshplatform.registry.api;

/** The roles of DESIGN.md's security table. Every role but the admin belongs to one domain. */
public enum Role {
    PLATFORM_ADMIN, DOMAIN_OWNER, DOMAIN_MEMBER, CONSUMER;

    public boolean isDomainScoped() {
        return this != PLATFORM_ADMIN;
    }
}
