package dev.meshplatform.registry.api;

/**
 * The roles of DESIGN.md's security table. Every role but the admin belongs to one domain. {@code RUN} is the
 * platform's own: a product's run reading its input products as {reading domain, RUN, purpose}; no API key or token
 * ever has it.
 */
public enum Role {
    PLATFORM_ADMIN, DOMAIN_OWNER, DOMAIN_MEMBER, CONSUMER, RUN;

    public boolean isDomainScoped() {
        return this != PLATFORM_ADMIN;
    }

    /** Whether a key or a token may carry this role: every role but {@code RUN}. */
    public boolean isCredential() {
        return this != RUN;
    }
}
