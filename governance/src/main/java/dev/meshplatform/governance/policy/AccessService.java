package dev.meshplatform.governance.policy;

import com.google.protobuf.Message;
import dev.meshplatform.governance.api.Access;
import dev.meshplatform.governance.api.Access.InputRead;
import dev.meshplatform.governance.api.Access.RunInputs;
import dev.meshplatform.governance.api.AccessRequestCreated;
import dev.meshplatform.governance.api.AccessRequestDecided;
import dev.meshplatform.governance.api.AccessRequestSpec;
import dev.meshplatform.governance.api.AccessRequestView;
import dev.meshplatform.governance.api.Approval;
import dev.meshplatform.governance.api.AuditEntry;
import dev.meshplatform.governance.api.GovernanceException;
import dev.meshplatform.governance.api.GovernanceProperties;
import dev.meshplatform.governance.api.GrantView;
import dev.meshplatform.governance.api.PolicyKind;
import dev.meshplatform.governance.api.ReadDecision;
import dev.meshplatform.governance.api.ServingKeys;
import dev.meshplatform.registry.api.DomainDeleted;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.MaskKind;
import dev.meshplatform.registry.api.Masker;
import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.PageResult;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.Role;
import dev.meshplatform.registry.api.RowFilter;
import dev.meshplatform.registry.api.SchemaField;
import dev.meshplatform.registry.api.VersionTransitioned;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Access requests and grants, and the decision on every read: grant, access policies, row filters, masks. */
final class AccessService implements Access {

    private static final Logger log = LoggerFactory.getLogger(AccessService.class);

    private final AccessStore store;
    private final PolicyService policies;
    private final ProductCatalog products;
    private final AuditStore audit;
    private final InputAccessGate inputs;
    private final TransactionTemplate transactions;
    private final GovernanceProperties properties;
    private final ServingKeys keys;
    private volatile Masker masker;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ApplicationEventPublisher events;
    /** Read decisions made lately, each with what it rests on; one is used again only while all of that is unchanged. */
    private final Map<DecisionKey, HeldDecision> decisions = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<DecisionKey, HeldDecision> eldest) {
                    return size() > DECISIONS_KEPT;
                }
            });

    /** How many read decisions stay held. */
    static final int DECISIONS_KEPT = 4096;

    /** Who reads which version how: everything a decision depends on besides what {@link DecidedOn} holds. */
    private record DecisionKey(String principal, Role role, String principalDomain, String domain, String product,
                               String version, long revision, List<String> columns, List<String> filterColumns) {
    }

    /**
     * What a decision rests on that can change while the version read does not, each read from the database at every
     * read: the product's released versions (their classification governs), the reader's domain's active grants
     * (their columns, filters, purposes and expiry), and the policies' generation.
     */
    private record DecidedOn(List<ProductVersionView> released, List<GrantView> grants, long policyGeneration) {
    }

    private record HeldDecision(DecidedOn on, ReadDecision decision) {
    }

    public AccessService(JdbcTemplate jdbc, PolicyService policies, ProductCatalog products, AuditStore audit,
                         InputAccessGate inputs, TransactionTemplate transactions, GovernanceProperties properties,
                         ServingKeys keys, Clock clock, MeterRegistry meters, ApplicationEventPublisher events) {
        this.events = events;
        this.inputs = inputs;
        this.meters = meters;
        this.store = new AccessStore(jdbc);
        this.policies = policies;
        this.products = products;
        this.audit = audit;
        this.transactions = transactions;
        this.properties = properties;
        this.keys = keys;
        this.clock = clock;
    }

    // ---- requests and grants ----

    @Override
    public AccessRequestView request(String domain, String product, AccessRequestSpec spec, MeshPrincipal by) {
        if (!by.role().actsInMesh()) {
            throw new GovernanceException(GovernanceException.Reason.FORBIDDEN, "forbidden",
                    "a " + by.role() + " key reads metrics only");
        }
        if (by.domain() == null || by.belongsTo(domain)) {
            throw new GovernanceException(GovernanceException.Reason.CONFLICT, "access-request-needless",
                    "access requests are for other domains' products; " + (by.isAdmin()
                            ? "platform admins read every product" : "your domain owns " + domain + "/" + product));
        }
        ProductVersionView newest = newestReleased(domain, product);
        checkColumns(newest, spec.columns());
        duration(spec.duration());
        AccessRequestView request = new AccessRequestView(UUID.randomUUID().toString(), domain, product, by.domain(),
                by.name(), spec.purpose(), spec.columns(), spec.duration(), spec.justification(),
                AccessRequestView.Status.PENDING, null, null, null, null, clock.instant());
        transactions.executeWithoutResult(tx -> {
            store.insertRequest(request);
            audit.append(by, AuditEntry.Action.REQUEST_ACCESS, domain, product, request.id(), null,
                    "purpose " + spec.purpose() + ", " + spec.duration()
                            + (spec.columns().isEmpty() ? ", all columns" : ", columns " + spec.columns()), null, null);
            // In the transaction: listeners (notifications) write theirs with the request, or not at all.
            events.publishEvent(new AccessRequestCreated(request));
        });
        log.info("Access to {}/{} requested by {} of {} for {}", domain, product, by.name(), by.domain(),
                spec.purpose());
        return request;
    }

    @Override
    public List<AccessRequestView> requests(String domain, String product, String requesterDomain) {
        return store.requests(domain, product, requesterDomain);
    }

    @Override
    public AccessRequestView getRequest(String domain, String product, String requestId) {
        return store.findRequest(requestId)
                .filter(r -> r.domain().equals(domain) && r.product().equals(product))
                .orElseThrow(() -> new GovernanceException(GovernanceException.Reason.NOT_FOUND,
                        "access-request-not-found", "there is no access request " + requestId + " for "
                        + domain + "/" + product));
    }

    @Override
    public AccessRequestView approve(String domain, String product, String requestId, Approval approval,
                                     MeshPrincipal by) {
        AccessRequestView request = pending(domain, product, requestId);
        ProductVersionView newest = newestReleased(domain, product);
        List<RowFilter> filters = approval.rowFilters().stream().map(RowFilter::parse).toList();
        checkColumns(newest, filters.stream().map(RowFilter::column).toList());
        Duration duration = duration(approval.duration() != null ? approval.duration() : request.duration());
        Instant now = clock.instant();
        GrantView grant = new GrantView(UUID.randomUUID().toString(), domain, product, request.requesterDomain(),
                request.purpose(), request.columns(), filters.stream().map(RowFilter::text).toList(), request.id(),
                by.name(), now, now.plus(duration), null, null, GrantView.Status.ACTIVE);
        transactions.executeWithoutResult(tx -> {
            if (!store.decide(requestId, AccessRequestView.Status.APPROVED, by.name(), now, approval.reason(),
                    grant.id())) {
                throw decided(requestId);
            }
            store.insertGrant(grant);
            audit.append(by, AuditEntry.Action.APPROVE_REQUEST, domain, product, grant.id(), null,
                    "granted to " + request.requesterDomain() + " until " + grant.expiresAt()
                            + (filters.isEmpty() ? "" : ", rows where " + grant.rowFilters()), null, null);
            events.publishEvent(new AccessRequestDecided(store.findRequest(requestId).orElseThrow()));
        });
        log.info("Access to {}/{} granted to {} until {} by {}", domain, product, request.requesterDomain(),
                grant.expiresAt(), by.name());
        return getRequest(domain, product, requestId);
    }

    @Override
    public AccessRequestView reject(String domain, String product, String requestId, String reason,
                                    MeshPrincipal by) {
        pending(domain, product, requestId);
        transactions.executeWithoutResult(tx -> {
            if (!store.decide(requestId, AccessRequestView.Status.REJECTED, by.name(), clock.instant(), reason,
                    null)) {
                throw decided(requestId);
            }
            audit.append(by, AuditEntry.Action.REJECT_REQUEST, domain, product, requestId, null, reason, null, null);
            events.publishEvent(new AccessRequestDecided(store.findRequest(requestId).orElseThrow()));
        });
        log.info("Access request {} to {}/{} rejected by {}", requestId, domain, product, by.name());
        return getRequest(domain, product, requestId);
    }

    private AccessRequestView pending(String domain, String product, String requestId) {
        AccessRequestView request = getRequest(domain, product, requestId);
        if (request.status() != AccessRequestView.Status.PENDING) {
            throw decided(requestId);
        }
        return request;
    }

    private static GovernanceException decided(String requestId) {
        return new GovernanceException(GovernanceException.Reason.CONFLICT, "access-request-decided",
                "access request " + requestId + " has been decided already");
    }

    @Override
    public PageResult<GrantView> grants(GrantQuery query) {
        return store.grants(query, clock.instant());
    }

    @Override
    public GrantView grant(String id) {
        return store.findGrant(id, clock.instant()).orElseThrow(() -> new GovernanceException(
                GovernanceException.Reason.NOT_FOUND, "grant-not-found", "there is no grant " + id));
    }

    @Override
    public GrantView revoke(String id, String reason, MeshPrincipal by) {
        GrantView grant = grant(id);
        transactions.executeWithoutResult(tx -> {
            if (!store.revoke(id, by.name(), clock.instant(), reason)) {
                throw new GovernanceException(GovernanceException.Reason.CONFLICT, "grant-revoked",
                        "grant " + id + " is revoked already");
            }
            audit.append(by, AuditEntry.Action.REVOKE_GRANT, grant.domain(), grant.product(), id, null, reason,
                    null, null);
        });
        log.info("Grant {} of {}/{} to {} revoked by {}", id, grant.domain(), grant.product(), grant.granteeDomain(),
                by.name());
        return grant(id);
    }

    /** A deleted domain's grants end with it: a new domain of that name must ask again. */
    @EventListener
    public void onDomainDeleted(DomainDeleted event) {
        int revoked = store.revokeHeldBy(event.domain(), "platform", clock.instant(), "domain deleted");
        if (revoked > 0) {
            log.info("Revoked {} grant(s) held by the deleted domain {}", revoked, event.domain());
        }
    }

    /** A product whose last served version retires serves nobody any more: its grants end with it. */
    @EventListener
    public void onVersionTransitioned(VersionTransitioned event) {
        ProductVersionView version = event.version();
        if (event.to() != LifecycleStatus.RETIRED || products.newest(version.domain(), version.product(),
                LifecycleStatus.served()).isPresent()) {
            return;
        }
        int revoked = store.revokeOnProduct(version.domain(), version.product(), "platform", clock.instant(),
                "the product is retired");
        if (revoked > 0) {
            log.info("Revoked {} grant(s) on {}/{}: its last version is retired", revoked, version.domain(),
                    version.product());
        }
    }

    private ProductVersionView newestReleased(String domain, String product) {
        return products.newest(domain, product, LifecycleStatus.released())
                .orElseThrow(() -> new GovernanceException(GovernanceException.Reason.NOT_FOUND, "product-not-found",
                        "product " + domain + "/" + product + " has no published version"));
    }

    private static void checkColumns(ProductVersionView version, List<String> columns) {
        List<String> known = version.descriptor().schema().stream().map(SchemaField::name).toList();
        List<String> unknown = columns.stream().filter(c -> !known.contains(c)).toList();
        if (!unknown.isEmpty()) {
            throw new GovernanceException(GovernanceException.Reason.INVALID, "column-not-found",
                    "product " + version.domain() + "/" + version.product() + " has no column(s) " + unknown
                            + "; its columns are " + known);
        }
    }

    private Duration duration(String text) {
        Duration duration;
        try {
            duration = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new GovernanceException(GovernanceException.Reason.INVALID, "invalid-duration",
                    "duration '" + text + "' is not an ISO-8601 duration such as P30D or PT12H");
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(properties.maxGrantDuration()) > 0) {
            throw new GovernanceException(GovernanceException.Reason.INVALID, "invalid-duration",
                    "duration " + text + " must be positive and at most " + properties.maxGrantDuration());
        }
        return duration;
    }

    // ---- the read decision ----

    @Override
    public ReadDecision decideRead(MeshPrincipal principal, ProductVersionView version, List<String> columns,
                                   List<String> filterColumns) {
        checkColumns(version, filterColumns);
        DecidedOn on = decidedOn(principal, version);
        DecisionKey key = new DecisionKey(principal.name(), principal.role(), principal.domain(), version.domain(),
                version.product(), version.version(), version.revision(), List.copyOf(columns),
                List.copyOf(filterColumns));
        HeldDecision held = decisions.get(key);
        ReadDecision decided;
        if (held != null && held.on().equals(on)) {
            decided = held.decision();
        } else {
            decided = decide(principal, version, columns, null, on);
            decisions.put(key, new HeldDecision(on, decided));
        }
        // Nobody outside the owning domain filters on a masked value, admins included: the filter would reveal it.
        List<String> refused = !decided.allowed() || decided.ownDomain() ? List.of()
                : filterColumns.stream().filter(c -> !decided.columns().contains(c) || decided.masks().keySet().stream()
                .anyMatch(path -> FieldPaths.within(path, c)))
                .distinct().toList();
        ReadDecision decision = refused.isEmpty() ? decided : denied("filters on " + refused
                + " are refused: filter on the unmasked columns you read", List.of());
        String outcome = decision.allowed() ? "ALLOWED" : "DENIED";
        audit.append(principal, AuditEntry.Action.READ_DATA, version.domain(), version.product(), version.version(),
                outcome, decision.reason(), decision.policies(), decision.masks());
        io.micrometer.core.instrument.Counter.builder("mesh.governance.read.decisions")
                .description("data reads decided, by outcome (ALLOWED or DENIED)")
                .tags("domain", version.domain(), "product", version.product(), "outcome", outcome)
                .register(meters).increment();
        return decision;
    }

    @Override
    public RunInputs decideRunInputs(ProductVersionView reader, String runId) {
        MeshPrincipal run = new MeshPrincipal("run " + runId, Role.RUN, reader.domain());
        String reading = reader.domain() + "/" + reader.product() + " " + reader.version();
        List<InputRead> reads = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (InputPort port : reader.descriptor().productInputs()) {
            String name = port.domain() + "/" + port.product() + " v" + port.majorVersion();
            Optional<ProductVersionView> input = newestReleasedOfMajor(port.domain(), port.product(),
                    port.majorVersion());
            ReadDecision decision = input.map(v -> decide(run, v, List.of(), port.purpose(), decidedOn(run, v)))
                    .orElseGet(() -> denied(name + " has no released version", List.of()));
            String outcome = decision.allowed() ? "ALLOWED" : "DENIED";
            String reason = decision.allowed() ? decision.reason() + "; read by " + reading + ": columns "
                    + decision.columns() + (decision.rowFilters().isEmpty() ? "" : ", rows where "
                    + decision.rowFilters().stream().map(RowFilter::text).toList())
                    : decision.reason() + " (read by " + reading + ")";
            audit.append(run, AuditEntry.Action.READ_INPUT, port.domain(), port.product(), reading, outcome, reason,
                    decision.policies(), decision.masks());
            if (decision.allowed()) {
                reads.add(new InputRead(port.domain(), port.product(), port.majorVersion(), decision.columns(),
                        decision.rowFilters(), decision.masks()));
            } else {
                refused.add(name + ": " + decision.reason());
            }
        }
        if (!refused.isEmpty()) {
            return new RunInputs("domain " + reader.domain() + " may not read " + String.join("; ", refused),
                    List.of(), null);
        }
        boolean masksHash = reads.stream().anyMatch(r -> r.masks().containsValue(MaskKind.HASH));
        return new RunInputs(null, reads, masksHash ? keys.maskHashKey() : null);
    }

    /** The newest released version of one major of a product: what its data is governed by. */
    private Optional<ProductVersionView> newestReleasedOfMajor(String domain, String product, int major) {
        try {
            return products.versions(domain, product, true).stream().filter(v -> v.major() == major).findFirst();
        } catch (RuntimeException notFound) {
            return Optional.empty();
        }
    }

    private Masker masker() {
        Masker current = masker;
        if (current == null) {
            current = new Masker(keys.maskHashKey());
            masker = current;
        }
        return current;
    }

    /** What a decision on {@code principal} reading {@code version} rests on, as the database has it now. */
    private DecidedOn decidedOn(MeshPrincipal principal, ProductVersionView version) {
        boolean byGrant = principal.role().actsInMesh() && !ownDomain(principal, version) && !principal.isAdmin();
        List<GrantView> grants = byGrant ? store.activeGrants(version.domain(), version.product(),
                principal.domain(), clock.instant()) : List.of();
        return new DecidedOn(products.versions(version.domain(), version.product(), true), grants,
                policies.generation());
    }

    /** Consumers read by grant even in their own domain (DESIGN.md's table): only owners and members are "own". */
    private static boolean ownDomain(MeshPrincipal principal, ProductVersionView version) {
        return principal.belongsTo(version.domain()) && principal.role() != Role.CONSUMER;
    }

    /**
     * @param portPurpose for a run's principal: the purpose its input port names (null: any of the domain's grants)
     * @param on          the released versions, grants and policy generation the decision rests on
     */
    private ReadDecision decide(MeshPrincipal principal, ProductVersionView version, List<String> requested,
                                String portPurpose, DecidedOn on) {
        if (!principal.role().actsInMesh()) {
            // A scraper's key is no reader: not even the grant lookup below (it has no domain) is its to pass.
            return denied("a " + principal.role() + " key reads metrics only", List.of());
        }
        // The newest released classification of every field governs, whatever version's data is read.
        List<SchemaField> current = CurrentClassification.of(version.descriptor().schema(), on.released());
        Map<String, SchemaField> schema = new LinkedHashMap<>();
        current.forEach(f -> schema.put(f.name(), f));
        checkColumns(version, requested);
        boolean ownDomain = ownDomain(principal, version);
        Optional<GrantView> grant = Optional.empty();
        List<String> served = requested.isEmpty() ? List.copyOf(schema.keySet()) : requested;
        if (!ownDomain && !principal.isAdmin()) {
            List<GrantView> grants = on.grants().stream()
                    .filter(g -> portPurpose == null || portPurpose.equals(g.purpose())).toList();
            if (grants.isEmpty()) {
                return denied("domain " + principal.domain() + " has no active grant on " + version.domain() + "/"
                        + version.product() + (portPurpose == null ? "" : " for the purpose " + portPurpose)
                        + "; request access first", List.of());
            }
            List<String> wanted = served;
            grant = grants.stream().filter(g -> g.columns().isEmpty() || g.columns().containsAll(wanted)).findFirst();
            if (grant.isEmpty() && requested.isEmpty()) {
                // Nothing named: serve what the longest-lived grant covers.
                grant = Optional.of(grants.get(0));
                served = grant.get().columns();
            }
            if (grant.isEmpty()) {
                return denied("the grants of domain " + principal.domain() + " do not cover column(s) "
                        + wanted.stream().filter(c -> grants.stream().noneMatch(g -> g.columns().contains(c))).toList(),
                        List.of());
            }
        }
        String purpose = grant.map(GrantView::purpose).orElse("");
        Message product = PolicyFacts.product(version.domain(), version.product(), version.version(),
                version.status(), withSchema(version.descriptor(), current));
        Message request = PolicyFacts.request("read", purpose, served, ownDomain, grant.isPresent());
        Message who = PolicyFacts.principal(principal);
        Map<String, Object> variables = new HashMap<>();
        variables.put("principal", who);
        variables.put("request", request);
        variables.put("product", product);
        for (PolicyService.ActivePolicy policy : policies.active(PolicyKind.ACCESS, version.domain())) {
            PolicyCompiler.Outcome outcome = policy.compiled() == null
                    ? new PolicyCompiler.Outcome(false, List.of(), "it does not compile")
                    : policy.compiled().evaluate(variables);
            if (!outcome.passed()) {
                String why = outcome.error() != null ? "policy " + policy.id() + " could not be evaluated ("
                        + outcome.error() + ")" : policy.spec().message() != null ? policy.spec().message()
                        : "policy " + policy.id() + " denies it";
                return denied(why, List.of(policy.id()));
            }
        }
        Map<String, MaskKind> masks = new LinkedHashMap<>();
        List<String> spoke = new ArrayList<>();
        if (!ownDomain) {
            List<PolicyService.ActivePolicy> maskPolicies = policies.active(PolicyKind.MASK, version.domain());
            for (String column : served) {
                // Nested fields too: PII inside a struct or a list is masked where it is, by its path.
                FieldPaths.of(schema.get(column), column).forEach((path, field) -> {
                    variables.put("field", PolicyFacts.field(field, path));
                    for (PolicyService.ActivePolicy policy : maskPolicies) {
                        // A mask policy that cannot be evaluated masks (fails closed).
                        PolicyCompiler.Outcome outcome = policy.compiled() == null ? null
                                : policy.compiled().evaluate(variables);
                        boolean applies = outcome == null || outcome.passed() || outcome.error() != null;
                        if (applies) {
                            masks.merge(path, policy.spec().mask(), (a, b) -> a.ordinal() <= b.ordinal() ? a : b);
                            if (!spoke.contains(policy.id())) {
                                spoke.add(policy.id());
                            }
                        }
                    }
                });
            }
            // A masked field replaces its whole value, nested fields and all.
            List<String> hidden = masks.keySet().stream().filter(path -> masks.keySet().stream()
                    .anyMatch(outer -> !outer.equals(path) && FieldPaths.within(path, outer))).toList();
            hidden.forEach(masks::remove);
        }
        List<RowFilter> filters = grant.map(g -> g.rowFilters().stream().map(RowFilter::parse).toList())
                .orElse(List.of());
        String reason = ownDomain ? "the reader's domain owns the product"
                : principal.isAdmin() ? "platform admin"
                : "grant " + grant.get().id() + " (purpose " + purpose + ")";
        return new ReadDecision(true, reason, grant.map(GrantView::id).orElse(null), purpose, ownDomain, served,
                filters, masks, spoke, masker());
    }

    private static ProductDescriptor withSchema(ProductDescriptor d, List<SchemaField> schema) {
        return new ProductDescriptor(d.title(), d.description(), d.owner(), d.support(), d.tags(), d.inputPorts(),
                d.outputPort(), schema, d.slos(), d.quality(), d.transformation(), d.retention(), d.customProperties());
    }

    private ReadDecision denied(String reason, List<String> policyIds) {
        return new ReadDecision(false, reason, null, null, false, List.of(), List.of(), Map.of(), policyIds, masker());
    }
}
