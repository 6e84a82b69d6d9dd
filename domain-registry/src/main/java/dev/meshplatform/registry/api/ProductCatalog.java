package dev.meshplatform.registry.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Data products, their versions and their lifecycle. */
public interface ProductCatalog {

    /**
     * Creates or replaces a version while it is a draft; the same descriptor twice changes nothing. A released
     * version answers a conflict to any change. With {@code dryRun} nothing is stored.
     */
    ApplyOutcome apply(String domain, String product, String version, ProductDescriptor descriptor,
                       Long expectedRevision, boolean dryRun);

    /**
     * The checks {@link #apply} makes before it stores anything: the product's name and version, and the descriptor
     * (when given) against the rules and every {@link DescriptorCheck}. Refuses with {@code validation-failed} and
     * one field problem per finding; the domain must exist.
     */
    void check(String domain, String product, String version, ProductDescriptor descriptor);

    /** Moves a version along DRAFT → PUBLISHED → DEPRECATED → RETIRED, after asking every {@link TransitionGuard}. */
    TransitionOutcome transition(String domain, String product, String version, LifecycleStatus to,
                                 Long expectedRevision);

    /**
     * As {@link #transition(String, String, String, LifecycleStatus, Long)}; a move to DEPRECATED may announce its
     * {@code sunset}, a future date after which the version is no longer served (null: none announced).
     */
    TransitionOutcome transition(String domain, String product, String version, LifecycleStatus to, Instant sunset,
                                 Long expectedRevision);

    /**
     * What a transition would do, changing nothing: whether it may happen, every guard's verdict (a dry run's: not
     * audited) and its impact downstream (a deprecation's readers).
     */
    TransitionOutcome dryRunTransition(String domain, String product, String version, LifecycleStatus to);

    /** Deletes a draft version; the product goes with its last version. */
    void deleteDraft(String domain, String product, String version, Long expectedRevision);

    /** The column lineage stored with a version when it was applied; empty when the version does not exist. */
    Optional<ColumnLineage> columnLineage(String domain, String product, String version);

    /** The column lineage a descriptor would have (computed, not stored): for evaluations of descriptors not applied. */
    ColumnLineage lineageOf(String domain, String product, ProductDescriptor descriptor);

    Optional<ProductVersionView> findVersion(String domain, String product, String version);

    ProductVersionView getVersion(String domain, String product, String version);

    /** Every version of a product, newest first; only released ones when {@code releasedOnly}. */
    List<ProductVersionView> versions(String domain, String product, boolean releasedOnly);

    ProductSummary getProduct(String domain, String product, boolean releasedOnly);

    /**
     * The newest version (semver order) in one of {@code statuses}, e.g. the newest PUBLISHED one that runs and
     * lands; empty when there is none. A product that does not exist answers {@code product-not-found}.
     */
    Optional<ProductVersionView> newest(String domain, String product, LifecycleStatus... statuses);

    /**
     * The newest version of one major in one of {@code statuses}: with PUBLISHED, the version a major's runs and
     * schedule use; with {@link LifecycleStatus#served()}, the one whose contract its events follow.
     */
    Optional<ProductVersionView> newest(String domain, String product, int major, LifecycleStatus... statuses);

    /**
     * The previous released version of {@code version}: the newest PUBLISHED or DEPRECATED version below it in the
     * same major; for the first version of a major, the newest released version of the major below. Empty when there
     * is none, or the product does not exist yet. This is the baseline of a version's changes (dry runs, gates).
     */
    Optional<ProductVersionView> previousReleased(String domain, String product, String version);

    PageResult<ProductSummary> search(ProductQuery query);

    /** Every product major with a PUBLISHED or DEPRECATED version: what lands, runs and is served. */
    List<ProductMajor> servedMajors();

    /**
     * The newest PUBLISHED or DEPRECATED version of every served major, in one read: for work over all of them (SLO
     * evaluation, who reads a product, lineage), which one lookup per major would make slow at scale.
     */
    List<ProductVersionView> servedNewest();

    /** Sets (or replaces) a flag of a version: something the platform found about it, shown in the catalog. */
    void flag(String domain, String product, String version, String code, String message);

    /** Clears a flag of a version, when it is set. */
    void unflag(String domain, String product, String version, String code);

    /** The answer to a transition: the version afterwards and every guard's verdict (warnings included). */
    /**
     * @param impact for a dry run: what the transition would affect downstream (a deprecation: every reader)
     */
    record TransitionOutcome(ProductVersionView version, List<GuardVerdict> verdicts, boolean dryRun, Impact impact) {
    }
}
