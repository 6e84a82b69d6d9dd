package dev.meshplatform.governance.api;

import dev.meshplatform.registry.api.GuardVerdict;
import dev.meshplatform.registry.api.Impact;
import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.ProductDescriptor;

import java.util.List;
import java.util.Optional;

/** Global and domain policies: stored with their history, compiled when saved, and the publish gate they form. */
public interface Policies {

    /** Policies, global ones first; only those of {@code domain} (and the global ones) when it is given. */
    List<PolicyView> list(String domain, PolicyKind kind);

    Optional<PolicyView> find(String id);

    PolicyView get(String id);

    /**
     * Creates or changes a policy after compiling its expression against its kind's declared types.
     *
     * @param expectedRevision the revision the caller read (If-Match), or null
     * @throws GovernanceException {@code policy-invalid} with every compile error when the expression does not
     *                             type-check
     */
    PolicyView save(String id, PolicySpec spec, Long expectedRevision, MeshPrincipal by);

    /** Removes a policy; its history stays. */
    void delete(String id, Long expectedRevision, MeshPrincipal by);

    /** Every revision of a policy, newest first, including the one that deleted it. */
    List<PolicyView> history(String id);

    /**
     * The publish gate's verdicts for a version of a product, as a transition to PUBLISHED would see them: the
     * stored draft, or {@code descriptor} when given (a CI pipeline checking a change before it applies it).
     * Changes nothing.
     */
    GateEvaluation evaluate(String domain, String product, String version, ProductDescriptor descriptor);

    /** The verdicts of every enabled GATE policy and whether they allow publication. */
    /** @param impact what publishing the version would affect downstream (its breaking changes' readers) */
    record GateEvaluation(String domain, String product, String version, String previousPublished,
                          boolean publishable, List<GuardVerdict> verdicts, Impact impact) {
    }
}
