package dev.meshplatform.app.security;

import dev.meshplatform.governance.api.Access;
import dev.meshplatform.governance.api.GovernanceException;
import dev.meshplatform.governance.api.Policies;
import dev.meshplatform.registry.api.ApiKeyStore;
import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.RegistryException;
import dev.meshplatform.registry.api.Role;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.Set;

/**
 * The named rules of DESIGN.md's security table, used in {@code @PreAuthorize("@authz.rule(...)")} on the handlers,
 * so that each operation says in one place who may call it.
 */
@Component("authz")
public class MeshAuthorization {

    private final ApiKeyStore keys;
    private final Policies policies;
    private final Access access;

    public MeshAuthorization(ApiKeyStore keys, Policies policies, Access access) {
        this.keys = keys;
        this.policies = policies;
        this.access = access;
    }

    /** Save a policy: global ones (no domain) admins; a domain's its owners. */
    public boolean managePolicies(String domain) {
        return domain == null ? admin() : ownerOf(domain);
    }

    /** Delete a policy: who may manage its scope. An unknown id is left to the handler's 404 for policy managers. */
    public boolean managePolicy(String id) {
        return policies.find(id).map(p -> managePolicies(p.spec().domain()))
                .orElseGet(() -> principal().map(p -> p.isAdmin() || p.role() == Role.DOMAIN_OWNER).orElse(false));
    }

    /** Ask for access to a product: anyone of another domain; admins read everything without asking. */
    public boolean requestAccess(String domain) {
        return principal().map(p -> !p.isAdmin() && !p.belongsTo(domain)).orElse(false);
    }

    /** Approve, reject, revoke access to a domain's products: its owners, admins. */
    public boolean decideAccess(String domain) {
        return ownerOf(domain);
    }

    /** Revoke a grant: the owners of the granted product's domain, admins. */
    public boolean manageGrant(String grantId) {
        try {
            return decideAccess(access.grant(grantId).domain());
        } catch (GovernanceException notFound) {
            return admin();
        }
    }

    /** Read the audit log: admins all of it; a domain's owners their domain's entries. */
    public boolean readAudit(String domain) {
        return domain == null ? admin() : ownerOf(domain);
    }

    /** Create and delete domains; global operations. */
    public boolean admin() {
        return principal().map(MeshPrincipal::isAdmin).orElse(false);
    }

    /** Change a domain's own description: its owners. */
    public boolean ownerOf(String domain) {
        return principal().map(p -> p.isAdmin() || p.role() == Role.DOMAIN_OWNER && p.belongsTo(domain)).orElse(false);
    }

    /** Apply (create or replace) draft versions: the domain's owners and members. */
    public boolean applyIn(String domain) {
        return principal().map(p -> p.isAdmin()
                || (p.role() == Role.DOMAIN_OWNER || p.role() == Role.DOMAIN_MEMBER) && p.belongsTo(domain))
                .orElse(false);
    }

    /** Post events, start and stop landing, trigger runs: the domain's owners and members. */
    public boolean operateIn(String domain) {
        return applyIn(domain);
    }

    /** Issue a key: admins any; a domain's owners keys of their own domain, never admin keys. */
    public boolean issueKey(String domain, Role role) {
        return principal().map(p -> p.isAdmin()
                || p.role() == Role.DOMAIN_OWNER && p.belongsTo(domain) && role != Role.PLATFORM_ADMIN)
                .orElse(false);
    }

    /** List keys: admins all; a domain's owners only their own domain's. */
    public boolean listKeys(String domain) {
        return principal().map(p -> p.isAdmin() || p.role() == Role.DOMAIN_OWNER && p.belongsTo(domain))
                .orElse(false);
    }

    /** Read or revoke one key: admins any; a domain's owners their own domain's. */
    public boolean manageKey(String keyId) {
        Optional<MeshPrincipal> principal = principal();
        if (principal.isEmpty()) {
            return false;
        }
        if (principal.get().isAdmin()) {
            return true;
        }
        if (principal.get().role() != Role.DOMAIN_OWNER) {
            return false;
        }
        try {
            return principal.get().belongsTo(keys.get(keyId).domain());
        } catch (RegistryException notFound) {
            return false;
        }
    }

    /** Readers outside the owning domains see released versions only (DESIGN.md: consumers read what is published). */
    public static boolean seesDrafts(MeshPrincipal principal) {
        return DRAFT_READERS.contains(principal.role());
    }

    private static final Set<Role> DRAFT_READERS = Set.of(Role.PLATFORM_ADMIN, Role.DOMAIN_OWNER, Role.DOMAIN_MEMBER);

    private static Optional<MeshPrincipal> principal() {
        return CurrentPrincipal.find();
    }
}
