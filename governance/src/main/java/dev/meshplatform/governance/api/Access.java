package dev.meshplatform.governance.api;

import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.PageResult;
import dev.meshplatform.registry.api.ProductVersionView;

import java.util.List;
import java.util.Optional;

/** Access requests, grants and the access decision for reading a product's data. */
public interface Access {

    /** A principal of another domain asks for access to a product. */
    AccessRequestView request(String domain, String product, AccessRequestSpec spec, MeshPrincipal by);

    /** Requests for one product; {@code requesterDomain} narrows them to one asking domain. */
    List<AccessRequestView> requests(String domain, String product, String requesterDomain);

    AccessRequestView getRequest(String domain, String product, String requestId);

    /** Approves a pending request: a grant for the requesting domain. */
    AccessRequestView approve(String domain, String product, String requestId, Approval approval, MeshPrincipal by);

    AccessRequestView reject(String domain, String product, String requestId, String reason, MeshPrincipal by);

    PageResult<GrantView> grants(GrantQuery query);

    GrantView grant(String id);

    GrantView revoke(String id, String reason, MeshPrincipal by);

    /**
     * Decides whether {@code principal} may read these columns of this product version (all the principal may see
     * when none are named), filtering on {@code filterColumns}, and writes the decision to the audit log. Readers
     * outside the owning domain filter only on unmasked columns they read (a filter on a masked column would reveal
     * its values). Never throws for a denial: the decision says why.
     */
    ReadDecision decideRead(MeshPrincipal principal, ProductVersionView version, List<String> columns,
                            List<String> filterColumns);

    /**
     * Decides whether the run {@code runId} of {@code reader} may read its input products of other domains now: the
     * reading domain must hold an active grant on each. Each such input is a decision in the audit log.
     *
     * @return why the run may not read its inputs, or empty when it may
     */
    Optional<String> decideRunInputs(ProductVersionView reader, String runId);

    /**
     * @param domain        the owning domain of the products, or null for all
     * @param granteeDomain the domain holding the grants, or null for all
     * @param involving     only grants on this domain's products or held by this domain; null for all
     * @param activeOnly    only grants neither expired nor revoked
     */
    record GrantQuery(String domain, String product, String granteeDomain, String involving, boolean activeOnly,
                      int page, int size) {
    }
}
