package dev.meshplatform.governance.policy;

import com.google.protobuf.Message;
import dev.meshplatform.governance.api.AuditEntry;
import dev.meshplatform.governance.api.CurrentActor;
import dev.meshplatform.governance.api.GovernanceException;
import dev.meshplatform.governance.api.Policies;
import dev.meshplatform.governance.api.PolicyKind;
import dev.meshplatform.governance.api.PolicySpec;
import dev.meshplatform.governance.api.PolicyView;
import dev.meshplatform.registry.api.DomainCatalog;
import dev.meshplatform.registry.api.DomainDeleted;
import dev.meshplatform.registry.api.GuardVerdict;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.Names;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.SemanticVersion;
import dev.meshplatform.registry.api.TransitionCheck;
import dev.meshplatform.registry.api.ColumnLineage;
import dev.meshplatform.registry.api.SchemaField;
import dev.meshplatform.registry.api.TransitionGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stores and compiles policies, and is the publish gate: the registry asks it before every transition to PUBLISHED
 * and on dry runs, and {@link #evaluate} answers the same for CI pipelines.
 */
final class PolicyService implements Policies, TransitionGuard {

    private static final Logger log = LoggerFactory.getLogger(PolicyService.class);

    /** A stored, enabled policy with its program. */
    public record ActivePolicy(PolicyView view, PolicyCompiler.Compiled compiled) {

        public String id() {
            return view.id();
        }

        public PolicySpec spec() {
            return view.spec();
        }

        /** Whether it governs products of {@code domain}: global policies govern all. */
        public boolean governs(String domain) {
            return view.spec().domain() == null || view.spec().domain().equals(domain);
        }
    }

    private record Cache(long changeCount, Instant checkedAt, List<ActivePolicy> policies) {
    }

    private final PolicyStore store;
    private final PolicyCompiler compiler;
    private final DomainCatalog domains;
    private final ProductCatalog products;
    private final AuditStore audit;
    private final CurrentActor actor;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration refresh;
    private final InputAccessGate inputs;
    private final ImpactAnalysis impact;
    private volatile Cache cache;

    public PolicyService(JdbcTemplate jdbc, PolicyCompiler compiler, DomainCatalog domains, ProductCatalog products,
                         AuditStore audit, CurrentActor actor, TransactionTemplate transactions, Clock clock,
                         Duration refresh, InputAccessGate inputs, ImpactAnalysis impact) {
        this.inputs = inputs;
        this.impact = impact;
        this.store = new PolicyStore(jdbc);
        this.compiler = compiler;
        this.domains = domains;
        this.products = products;
        this.audit = audit;
        this.actor = actor;
        this.transactions = transactions;
        this.clock = clock;
        this.refresh = refresh;
    }

    /**
     * Installs each shipped default that never existed here; one that an admin deleted stays deleted. Instances that
     * start together on a new database race for it: the one that loses finds the policy installed.
     */
    public void installDefaults() {
        ShippedPolicies.all().forEach((id, spec) -> {
            try {
                transactions.executeWithoutResult(tx -> {
                    if (!store.everExisted(id)) {
                        compiler.compile(spec.kind(), spec.expression());
                        store.insert(new PolicyView(id, 1, spec, true, false, "platform", clock.instant()));
                        log.info("Installed the default policy {}", id);
                    }
                });
            } catch (DuplicateKeyException installedMeanwhile) {
                log.info("The default policy {} was installed by another instance starting at the same time", id);
            }
        });
        cache = null;
    }

    // ---- storing ----

    @Override
    public List<PolicyView> list(String domain, PolicyKind kind) {
        return store.all().stream()
                .filter(p -> domain == null || p.spec().domain() == null || domain.equals(p.spec().domain()))
                .filter(p -> kind == null || p.spec().kind() == kind)
                .toList();
    }

    @Override
    public Optional<PolicyView> find(String id) {
        return store.find(id);
    }

    @Override
    public PolicyView get(String id) {
        return find(id).orElseThrow(() -> new GovernanceException(GovernanceException.Reason.NOT_FOUND,
                "policy-not-found", "there is no policy '" + id + "'"));
    }

    @Override
    public PolicyView save(String id, PolicySpec spec, Long expectedRevision, MeshPrincipal by) {
        if (!Names.isValidName(id)) {
            throw new GovernanceException(GovernanceException.Reason.INVALID, "invalid-name",
                    "a policy id is lower-kebab, 2 to 63 characters: '" + id + "' is not");
        }
        checkShape(spec);
        compiler.compile(spec.kind(), spec.expression());
        PolicyView saved = transactions.execute(tx -> {
            Optional<PolicyView> existing = store.find(id);
            Instant now = clock.instant();
            if (existing.isEmpty()) {
                if (expectedRevision != null) {
                    throw new GovernanceException(GovernanceException.Reason.PRECONDITION_FAILED,
                            "precondition-failed", "policy " + id + " does not exist, so If-Match cannot match");
                }
                if (store.everExisted(id)) {
                    throw new GovernanceException(GovernanceException.Reason.CONFLICT, "policy-id-used",
                            "policy id '" + id + "' belonged to a deleted policy; its history keeps it: pick another");
                }
                PolicyView created = new PolicyView(id, 1, spec, false, false, by.name(), now);
                store.insert(created);
                audited(created, by);
                return created;
            }
            PolicyView current = existing.get();
            if (!java.util.Objects.equals(current.spec().domain(), spec.domain())) {
                throw new GovernanceException(GovernanceException.Reason.CONFLICT, "policy-scope-change",
                        "policy " + id + " belongs to " + scope(current.spec().domain()) + " and cannot move to "
                                + scope(spec.domain()) + "; create a new policy instead");
            }
            if (expectedRevision != null && expectedRevision != current.revision()) {
                throw stale(id, current.revision());
            }
            if (current.spec().equals(spec)) {
                return current;
            }
            PolicyView changed = new PolicyView(id, current.revision() + 1, spec, current.shipped(), false,
                    by.name(), now);
            if (!store.update(changed, current.revision())) {
                throw stale(id, current.revision());
            }
            audited(changed, by);
            return changed;
        });
        log.info("Policy {} saved at revision {} by {}", id, saved.revision(), by.name());
        cache = null;
        return saved;
    }

    private void audited(PolicyView saved, MeshPrincipal by) {
        audit.append(by, AuditEntry.Action.SAVE_POLICY, saved.spec().domain(), null, saved.id(), null,
                "revision " + saved.revision() + (saved.spec().isEnabled() ? "" : " (disabled)"), List.of(saved.id()),
                null);
    }

    private static String scope(String domain) {
        return domain == null ? "the platform (global)" : "domain " + domain;
    }

    private static GovernanceException stale(String id, long revision) {
        return new GovernanceException(GovernanceException.Reason.PRECONDITION_FAILED, "precondition-failed",
                "policy " + id + " is at revision " + revision + "; read it again and retry");
    }

    private void checkShape(PolicySpec spec) {
        if (spec.kind() == PolicyKind.MASK && spec.mask() == null) {
            throw invalid("a MASK policy names its mask: one of HASH, REDACT, NULL, LAST4, YEAR");
        }
        if (spec.kind() != PolicyKind.MASK && spec.mask() != null) {
            throw invalid("only MASK policies have a mask");
        }
        if (spec.kind() != PolicyKind.GATE && spec.enforcement() != null) {
            throw invalid("only GATE policies have an enforcement (BLOCK or WARN)");
        }
        if (spec.domain() != null && domains.find(spec.domain()).isEmpty()) {
            throw new GovernanceException(GovernanceException.Reason.NOT_FOUND, "domain-not-found",
                    "there is no domain '" + spec.domain() + "'");
        }
    }

    private static GovernanceException invalid(String message) {
        return new GovernanceException(GovernanceException.Reason.INVALID, "policy-invalid", message);
    }

    @Override
    public void delete(String id, Long expectedRevision, MeshPrincipal by) {
        PolicyView current = get(id);
        if (expectedRevision != null && expectedRevision != current.revision()) {
            throw stale(id, current.revision());
        }
        PolicyView removed = new PolicyView(id, current.revision() + 1, current.spec(), current.shipped(), true,
                by.name(), clock.instant());
        transactions.executeWithoutResult(tx -> {
            if (!store.delete(removed, current.revision())) {
                throw stale(id, current.revision());
            }
            audit.append(by, AuditEntry.Action.DELETE_POLICY, current.spec().domain(), null, id, null,
                    "deleted at revision " + current.revision(), List.of(id), null);
        });
        log.info("Policy {} deleted by {}", id, by.name());
        cache = null;
    }

    /** A deleted domain's policies go with it (their history stays), so that a new domain of that name starts clean. */
    @EventListener
    public void onDomainDeleted(DomainDeleted event) {
        for (PolicyView policy : store.all()) {
            if (event.domain().equals(policy.spec().domain())) {
                store.delete(new PolicyView(policy.id(), policy.revision() + 1, policy.spec(), policy.shipped(), true,
                        "platform", clock.instant()), policy.revision());
                audit.append(null, AuditEntry.Action.DELETE_POLICY, event.domain(), null, policy.id(), null,
                        "deleted with its domain", List.of(policy.id()), null);
                log.info("Policy {} deleted with its domain {}", policy.id(), event.domain());
            }
        }
        cache = null;
    }

    @Override
    public List<PolicyView> history(String id) {
        List<PolicyView> history = store.history(id);
        if (history.isEmpty()) {
            throw new GovernanceException(GovernanceException.Reason.NOT_FOUND, "policy-not-found",
                    "there is no policy '" + id + "'");
        }
        return history;
    }

    /** The enabled policies of a kind that govern {@code domain}, compiled; refreshed when any policy changes. */
    public List<ActivePolicy> active(PolicyKind kind, String domain) {
        return current().stream()
                .filter(p -> p.spec().kind() == kind && p.governs(domain))
                .toList();
    }

    /**
     * The policies' generation as the database has it now, read at every call (it grows with every save and delete,
     * on any instance); the compiled policies {@link #active} returns are brought to it.
     */
    public long generation() {
        long changes = store.changeCount();
        current(changes);
        return changes;
    }

    private List<ActivePolicy> current() {
        Cache seen = cache;
        if (seen != null && seen.checkedAt().plus(refresh).isAfter(clock.instant())) {
            return seen.policies();
        }
        return current(store.changeCount());
    }

    private List<ActivePolicy> current(long changes) {
        Cache seen = cache;
        Instant now = clock.instant();
        if (seen != null && seen.changeCount() == changes) {
            cache = new Cache(changes, now, seen.policies());
            return seen.policies();
        }
        List<ActivePolicy> compiled = new ArrayList<>();
        for (PolicyView view : store.all()) {
            if (!view.spec().isEnabled()) {
                continue;
            }
            try {
                compiled.add(new ActivePolicy(view, compiler.compile(view.spec().kind(), view.spec().expression())));
            } catch (GovernanceException e) {
                // Saved policies compiled when saved; one that no longer does (a platform upgrade) must not vanish.
                log.error("Policy {} no longer compiles and fails closed: {}", view.id(), e.getMessage());
                compiled.add(new ActivePolicy(view, null));
            }
        }
        compiled.sort(Comparator.comparing((ActivePolicy p) -> p.spec().domain() != null).thenComparing(p -> p.id()));
        cache = new Cache(changes, now, List.copyOf(compiled));
        return cache.policies();
    }

    // ---- the publish gate ----

    @Override
    public List<GuardVerdict> check(TransitionCheck check) {
        if (check.to() != LifecycleStatus.PUBLISHED) {
            return List.of();
        }
        ColumnLineage lineage = check.lineage() != null ? check.lineage()
                : products.lineageOf(check.domain(), check.product(), check.descriptor());
        List<GuardVerdict> verdicts = gate(check.domain(), check.product(), check.version(), check.from(),
                check.descriptor(), check.previousPublished(), lineage);
        if (!check.dryRun()) {
            List<String> failing = verdicts.stream().filter(GuardVerdict::blocks).map(GuardVerdict::rule).toList();
            audit.appendIndependently(actor.find().orElse(null),
                    AuditEntry.Action.PUBLISH_GATE, check.domain(), check.product(), check.version(),
                    failing.isEmpty() ? "ALLOWED" : "DENIED",
                    failing.isEmpty() ? verdicts.size() + " gate(s) passed"
                            : verdicts.stream().filter(GuardVerdict::blocks).map(GuardVerdict::message)
                            .reduce((a, b) -> a + "; " + b).orElse(""),
                    failing.isEmpty() ? verdicts.stream().map(GuardVerdict::rule).toList() : failing);
        }
        return verdicts;
    }

    @Override
    public GateEvaluation evaluate(String domain, String product, String version, ProductDescriptor descriptor) {
        // The address and a sent descriptor are refused as apply would refuse them, before anything is judged.
        products.check(domain, product, version, descriptor);
        Optional<ProductVersionView> stored = products.findVersion(domain, product, version);
        if (descriptor == null && stored.isEmpty()) {
            throw new GovernanceException(GovernanceException.Reason.NOT_FOUND, "version-not-found",
                    "version " + version + " of " + domain + "/" + product + " does not exist; send its descriptor "
                            + "to evaluate it before applying it");
        }
        ProductDescriptor checked = descriptor != null ? descriptor : stored.get().descriptor();
        // A failed lookup fails the evaluation: it never skips the breaking-change check.
        ProductVersionView previous = products.previousReleased(domain, product, version).orElse(null);
        LifecycleStatus status = stored.map(ProductVersionView::status).orElse(LifecycleStatus.DRAFT);
        ColumnLineage lineage = descriptor == null ? products.columnLineage(domain, product, version)
                .orElseGet(() -> products.lineageOf(domain, product, checked))
                : products.lineageOf(domain, product, checked);
        List<GuardVerdict> verdicts = gate(domain, product, version, status, checked, previous, lineage);
        return new GateEvaluation(domain, product, version, previous == null ? null : previous.version(),
                verdicts.stream().noneMatch(GuardVerdict::blocks), verdicts,
                impact.of(domain, product, version, LifecycleStatus.PUBLISHED, checked, previous));
    }

    private List<GuardVerdict> gate(String domain, String product, String version, LifecycleStatus status,
                                    ProductDescriptor descriptor, ProductVersionView previous,
                                    ColumnLineage lineage) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("lineage", PolicyFacts.lineage(lineage, LineageClassification.underClassified(descriptor,
                lineage, this::currentSchema)));
        Message facts = PolicyFacts.product(domain, product, version, status, descriptor);
        variables.put("product", facts);
        variables.put("has_previous", previous != null);
        variables.put("previous", previous == null ? PolicyFacts.product(null, null, null, null, null)
                : PolicyFacts.product(domain, product, previous.version(), previous.status(), previous.descriptor()));
        // A new major may break its predecessor: compatibility is judged within a major only.
        boolean sameMajor = previous != null && SemanticVersion.parse(previous.version()).major()
                == SemanticVersion.parse(version).major();
        variables.put("compat", PolicyFacts.compatibility(sameMajor
                ? Compatibility.between(previous.descriptor(), descriptor) : Compatibility.Report.NONE));
        List<GuardVerdict> verdicts = new ArrayList<>();
        for (ActivePolicy policy : active(PolicyKind.GATE, domain)) {
            verdicts.add(verdict(policy, variables));
        }
        inputs.verdict(domain, descriptor).ifPresent(verdicts::add);
        return verdicts;
    }

    /** The newest released schema of an input product major: what its columns are classified as now. */
    private Optional<List<SchemaField>> currentSchema(String inputKey) {
        String[] parts = inputKey.split("/");
        try {
            return products.newest(parts[0], parts[1], Integer.parseInt(parts[2].substring(1)),
                    LifecycleStatus.PUBLISHED, LifecycleStatus.DEPRECATED).map(v -> v.descriptor().schema());
        } catch (RuntimeException notFound) {
            return Optional.empty();
        }
    }

    private static GuardVerdict verdict(ActivePolicy policy, Map<String, Object> variables) {
        PolicySpec spec = policy.spec();
        if (policy.compiled() == null) {
            return new GuardVerdict(policy.id(), spec.blocking(), false, "policy " + policy.id()
                    + " does not compile any more; an admin must fix it");
        }
        PolicyCompiler.Outcome outcome = policy.compiled().evaluate(variables);
        String message;
        if (outcome.passed()) {
            message = spec.description() != null ? spec.description() : "passed";
        } else if (outcome.error() != null) {
            message = "policy " + policy.id() + " could not be evaluated: " + outcome.error();
        } else {
            String base = spec.message() != null ? spec.message() : "policy " + policy.id() + " failed";
            message = outcome.violations().isEmpty() ? base : base + ": " + String.join("; ", outcome.violations());
        }
        return new GuardVerdict(policy.id(), spec.blocking(), outcome.passed(), message);
    }
}
