package dev.meshplatform.governance.api;

import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.PageResult;
import dev.meshplatform.registry.api.ProductVersionView;

import java.util.List;

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
     * Decides how the run {@code runId} of {@code reader} may read each of its input products now, as the principal
     * {reading domain, RUN, purpose of the input port}: another domain's product needs an active grant of the reading
     * domain (for that purpose, when the port names one), and is read with the grant's columns and row filters and
     * the masks the current MASK policies and the newest released classification give. Each input is a decision in
     * the owning domain's audit log, with the columns, filters and masks applied.
     */
    RunInputs decideRunInputs(ProductVersionView reader, String runId);

    /**
     * @param refusal     why the run may not read its inputs (then it reads none); null when it may
     * @param inputs      one per input product port, in the descriptor's order
     * @param maskHashKey the key of the HASH mask, for the run to mask as serving does (never logged)
     */
    record RunInputs(String refusal, List<InputRead> inputs, String maskHashKey) {

        public RunInputs {
            inputs = inputs == null ? List.of() : List.copyOf(inputs);
        }

        @Override
        public String toString() {
            return "RunInputs[refusal=" + refusal + ", inputs=" + inputs + "]";
        }
    }

    /** How one input product is read: its columns (all when empty), the rows, the mask of each masked path. */
    record InputRead(String domain, String product, int major, List<String> columns,
                     List<dev.meshplatform.registry.api.RowFilter> rowFilters,
                     java.util.Map<String, dev.meshplatform.registry.api.MaskKind> masks) {
    }

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
