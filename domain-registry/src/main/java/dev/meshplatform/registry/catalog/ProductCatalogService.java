package dev.meshplatform.registry.catalog;

import dev.meshplatform.registry.api.ApplyOutcome;
import dev.meshplatform.registry.api.DescriptorChange;
import dev.meshplatform.registry.api.DescriptorCheck;
import dev.meshplatform.registry.api.ColumnLineage;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.Impact;
import dev.meshplatform.registry.api.LineageAnalyzer;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.SchemaField;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.support.TransactionTemplate;
import dev.meshplatform.registry.api.GuardVerdict;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.Names;
import dev.meshplatform.registry.api.PageResult;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.ProductQuery;
import dev.meshplatform.registry.api.ProductSummary;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.RegistryException;
import dev.meshplatform.registry.api.RegistryException.FieldProblem;
import dev.meshplatform.registry.api.SemanticVersion;
import dev.meshplatform.registry.api.TransitionCheck;
import dev.meshplatform.registry.api.TransitionGuard;
import dev.meshplatform.registry.api.VersionTransitioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.JsonNodeFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

@Transactional
class ProductCatalogService implements ProductCatalog {

    private static final Logger log = LoggerFactory.getLogger(ProductCatalogService.class);
    /** The width of registry_product_version.descriptor. */
    static final int MAX_STORED_DESCRIPTOR = 1_000_000;
    private static final Comparator<ProductVersionEntity> NEWEST_FIRST =
            Comparator.comparing(ProductVersionEntity::semanticVersion).reversed();

    private final DomainCatalogService domains;
    private final ProductRepository products;
    private final ProductVersionRepository versions;
    private final DescriptorValidator validator;
    private final ObjectProvider<TransitionGuard> guards;
    private final ObjectProvider<DescriptorCheck> checks;
    private final ObjectProvider<LineageAnalyzer> analyzers;
    private final TransactionTemplate transactions;
    /** For reads outside a transaction: the apply analyzes lineage outside one on purpose. */
    private final TransactionTemplate readOnly;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final RecentProducts recent;
    private final CatalogSearch search;

    ProductCatalogService(DomainCatalogService domains, ProductRepository products, ProductVersionRepository versions,
                          DescriptorValidator validator, ObjectProvider<TransitionGuard> guards,
                          ObjectProvider<DescriptorCheck> checks, ObjectProvider<LineageAnalyzer> analyzers,
                          TransactionTemplate transactions, ApplicationEventPublisher events, Clock clock,
                          RecentProducts recent, CatalogSearch search) {
        this.recent = recent;
        this.search = search;
        this.domains = domains;
        this.products = products;
        this.versions = versions;
        this.validator = validator;
        this.guards = guards;
        this.checks = checks;
        this.analyzers = analyzers;
        this.transactions = transactions;
        this.readOnly = new TransactionTemplate(transactions.getTransactionManager());
        this.readOnly.setReadOnly(true);
        this.events = events;
        this.clock = clock;
    }

    /**
     * Not in a transaction of its own: the column lineage is analyzed (in processing's sandbox, which may have to
     * start) before the transaction that stores the version begins, so that no database connection waits for it.
     */
    @Override
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public ApplyOutcome apply(String domain, String product, String version, ProductDescriptor descriptor,
                              Long expectedRevision, boolean dryRun) {
        if (descriptor == null) {
            throw RegistryException.invalid("a descriptor is required", List.of(new FieldProblem("", "empty body")));
        }
        check(domain, product, version, descriptor);
        String hash = DescriptorCodec.sha256(DescriptorCodec.toJson(descriptor));
        ColumnLineage lineage = reading(() -> products.findByDomainAndName(domain, product)
                .flatMap(p -> versions.findByProductAndVersion(p, version))
                .filter(stored -> stored.descriptorHash().equals(hash) && stored.columnLineage() != null)
                .map(stored -> DescriptorCodec.read(stored.columnLineage(), ColumnLineage.class)))
                .orElseGet(() -> lineageOf(domain, product, descriptor));
        return transactions.execute(tx -> applyChecked(domain, product, version, descriptor, expectedRevision, dryRun,
                lineage));
    }

    private ApplyOutcome applyChecked(String domain, String product, String version, ProductDescriptor descriptor,
                                      Long expectedRevision, boolean dryRun, ColumnLineage lineage) {
        SemanticVersion semver = SemanticVersion.parse(version);
        DomainEntity domainEntity = domains.load(domain);
        String json = DescriptorCodec.toJson(descriptor);
        if (json.length() > MAX_STORED_DESCRIPTOR) {
            // The column's width: a body within the request limit can still grow past it as JSON (from YAML).
            throw RegistryException.invalid("the descriptor is " + json.length() + " characters as JSON; at most "
                    + MAX_STORED_DESCRIPTOR, List.of(new FieldProblem("", "descriptor too large")));
        }
        String hash = DescriptorCodec.sha256(json);
        Instant now = clock.instant();

        Optional<ProductEntity> productEntity = products.findByDomainAndName(domain, product);
        Optional<ProductVersionEntity> existing = productEntity.flatMap(p -> versions.findByProductAndVersion(p, version));
        if (existing.isPresent()) {
            ProductVersionEntity stored = existing.get();
            Revisions.check(expectedRevision, stored.revision(), "version " + version + " of " + domain + "/" + product);
            if (stored.descriptorHash().equals(hash)) {
                if (stored.columnLineage() == null && !dryRun) {
                    // Applied before lineage was computed: the same descriptor again records it.
                    stored.recordLineage(DescriptorCodec.toJson(lineage));
                }
                if (!dryRun) {
                    return new ApplyOutcome(ApplyOutcome.Result.UNCHANGED, false, view(stored), List.of(), List.of(),
                            null);
                }
                DryRun judged = dryRunVerdicts(stored, descriptor, lineage);
                return new ApplyOutcome(ApplyOutcome.Result.UNCHANGED, true, view(stored), List.of(),
                        judged.verdicts(), judged.impact());
            }
            if (stored.status() != LifecycleStatus.DRAFT) {
                throw RegistryException.conflict("version-immutable", "version " + version + " of " + domain + "/"
                        + product + " is " + stored.status() + " and cannot change; apply a new version instead");
            }
            List<DescriptorChange> changes = DescriptorDiff.between(
                    DescriptorCodec.tree(DescriptorCodec.descriptor(stored.descriptor())), DescriptorCodec.tree(descriptor));
            if (dryRun) {
                DryRun judged = dryRunVerdicts(stored, descriptor, lineage);
                return new ApplyOutcome(ApplyOutcome.Result.UPDATED, true, view(stored), changes,
                        judged.verdicts(), judged.impact());
            }
            stored.replaceDescriptor(json, hash, descriptor.title(), descriptor.description(), descriptor.tags(), now);
            stored.recordLineage(DescriptorCodec.toJson(lineage));
            stored.product().touch(now);
            ProductVersionEntity saved = versions.saveAndFlush(stored);
            log.info("Product {}/{} version {} updated ({} changes)", domain, product, version, changes.size());
            return new ApplyOutcome(ApplyOutcome.Result.UPDATED, false, view(saved), changes, List.of(), null);
        }
        if (expectedRevision != null) {
            throw new RegistryException(RegistryException.Reason.PRECONDITION_FAILED, "precondition-failed",
                    "version " + version + " of " + domain + "/" + product + " does not exist, so If-Match cannot match");
        }
        // A new version's changes are against the previous released version (nothing, for a product's first).
        Optional<ProductVersionEntity> baseline = productEntity.flatMap(p -> previousReleased(p, semver));
        List<DescriptorChange> changes = DescriptorDiff.between(baseline
                        .map(b -> DescriptorCodec.tree(DescriptorCodec.descriptor(b.descriptor())))
                        .orElseGet(JsonNodeFactory.instance::objectNode),
                DescriptorCodec.tree(descriptor));
        if (dryRun) {
            ProductVersionView wouldBe = new ProductVersionView(domain, product, version, LifecycleStatus.DRAFT,
                    descriptor, hash, 0, now, now, now, null, List.of());
            DryRun judged = dryRun(new TransitionCheck(domain, product, version, LifecycleStatus.DRAFT,
                    LifecycleStatus.PUBLISHED, descriptor,
                    baseline.map(ProductCatalogService::view).orElse(null), true, lineage));
            return new ApplyOutcome(ApplyOutcome.Result.CREATED, true, wouldBe, changes, judged.verdicts(),
                    judged.impact());
        }
        ProductEntity owner = productEntity.orElseGet(() -> products.save(new ProductEntity(domainEntity, product, now)));
        owner.touch(now);
        ProductVersionEntity created = new ProductVersionEntity(owner, semver, now);
        created.replaceDescriptor(json, hash, descriptor.title(), descriptor.description(), descriptor.tags(), now);
        created.recordLineage(DescriptorCodec.toJson(lineage));
        ProductVersionEntity saved = versions.saveAndFlush(created);
        log.info("Product {}/{} version {} created as DRAFT", domain, product, version);
        return new ApplyOutcome(ApplyOutcome.Result.CREATED, false, view(saved), changes, List.of(), null);
    }

    /** A dry run's verdicts and the impact of what it would change. */
    private record DryRun(List<GuardVerdict> verdicts, Impact impact) {
    }

    private DryRun dryRun(TransitionCheck check) {
        Impact impact = Impact.NONE;
        List<Impact.Affected> affected = new ArrayList<>();
        guards.orderedStream().forEach(g -> affected.addAll(g.impact(check).changes()));
        if (!affected.isEmpty()) {
            impact = new Impact(affected);
        }
        return new DryRun(askGuards(check), impact);
    }

    private DryRun dryRunVerdicts(ProductVersionEntity stored, ProductDescriptor descriptor, ColumnLineage lineage) {
        if (stored.status() != LifecycleStatus.DRAFT) {
            return new DryRun(List.of(), Impact.NONE);
        }
        return dryRun(new TransitionCheck(domainOf(stored), stored.product().name(), stored.version(),
                LifecycleStatus.DRAFT, LifecycleStatus.PUBLISHED, descriptor,
                previousReleased(stored.product(), stored.semanticVersion()).map(ProductCatalogService::view)
                        .orElse(null), true, lineage));
    }

    @Override
    public TransitionOutcome transition(String domain, String product, String version, LifecycleStatus to,
                                        Long expectedRevision) {
        return transition(domain, product, version, to, null, expectedRevision);
    }

    @Override
    public TransitionOutcome transition(String domain, String product, String version, LifecycleStatus to,
                                        Instant sunset, Long expectedRevision) {
        if (sunset != null && to != LifecycleStatus.DEPRECATED) {
            throw RegistryException.invalid("a sunset date goes with a move to DEPRECATED only",
                    List.of(new FieldProblem("sunset", "only with \"to\": \"DEPRECATED\"")));
        }
        if (sunset != null && !sunset.isAfter(clock.instant())) {
            throw RegistryException.invalid("the sunset date must lie in the future",
                    List.of(new FieldProblem("sunset", "a future date-time, e.g. 2027-06-30T00:00:00Z")));
        }
        ProductVersionEntity stored = load(domain, product, version);
        Revisions.check(expectedRevision, stored.revision(), "version " + version + " of " + domain + "/" + product);
        LifecycleStatus from = stored.status();
        checkMove(domain, product, version, from, to);
        ProductDescriptor descriptor = DescriptorCodec.descriptor(stored.descriptor());
        ColumnLineage lineage = storedLineage(stored);
        List<GuardVerdict> verdicts = askGuards(new TransitionCheck(domain, product, version, from, to, descriptor,
                previousReleased(stored.product(), stored.semanticVersion()).map(ProductCatalogService::view)
                        .orElse(null), false, lineage));
        List<GuardVerdict> blocking = verdicts.stream().filter(GuardVerdict::blocks).toList();
        if (!blocking.isEmpty()) {
            log.info("Transition of {}/{} {} to {} refused by {}", domain, product, version, to,
                    blocking.stream().map(GuardVerdict::rule).collect(Collectors.joining(", ")));
            throw new RegistryException(RegistryException.Reason.TRANSITION_REJECTED, "policy-violation",
                    "the transition to " + to + " was refused: " + blocking.stream().map(GuardVerdict::message)
                            .collect(Collectors.joining("; ")), List.of(), verdicts);
        }
        stored.moveTo(to, sunset, clock.instant());
        ProductVersionView view = view(versions.saveAndFlush(stored));
        events.publishEvent(new VersionTransitioned(view, from, to));
        log.info("Product {}/{} version {} moved from {} to {}", domain, product, version, from, to);
        return new TransitionOutcome(view, verdicts, false, null);
    }

    @Override
    @Transactional(readOnly = true)
    public TransitionOutcome dryRunTransition(String domain, String product, String version, LifecycleStatus to) {
        ProductVersionEntity stored = load(domain, product, version);
        LifecycleStatus from = stored.status();
        checkMove(domain, product, version, from, to);
        ColumnLineage lineage = stored.columnLineage() != null
                ? DescriptorCodec.read(stored.columnLineage(), ColumnLineage.class) : null;
        DryRun judged = dryRun(new TransitionCheck(domain, product, version, from, to,
                DescriptorCodec.descriptor(stored.descriptor()),
                previousReleased(stored.product(), stored.semanticVersion()).map(ProductCatalogService::view)
                        .orElse(null), true, lineage));
        return new TransitionOutcome(view(stored), judged.verdicts(), true, judged.impact());
    }

    private static void checkMove(String domain, String product, String version, LifecycleStatus from,
                                  LifecycleStatus to) {
        if (!from.canMoveTo(to)) {
            throw RegistryException.conflict("invalid-transition", "version " + version + " of " + domain + "/"
                    + product + " is " + from + " and cannot move to " + to
                    + " (the lifecycle is DRAFT → PUBLISHED → DEPRECATED → RETIRED)");
        }
    }

    /** The version's stored lineage; one applied before lineage existed has it computed and stored now. */
    private ColumnLineage storedLineage(ProductVersionEntity stored) {
        if (stored.columnLineage() != null) {
            return DescriptorCodec.read(stored.columnLineage(), ColumnLineage.class);
        }
        ColumnLineage lineage = lineageOf(domainOf(stored), stored.product().name(),
                DescriptorCodec.descriptor(stored.descriptor()));
        stored.recordLineage(DescriptorCodec.toJson(lineage));
        return lineage;
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<ColumnLineage> columnLineage(String domain, String product, String version) {
        return products.findByDomainAndName(domain, product)
                .flatMap(p -> versions.findByProductAndVersion(p, version))
                .map(v -> v.columnLineage() == null ? null : DescriptorCodec.read(v.columnLineage(), ColumnLineage.class));
    }

    /**
     * The lineage of a descriptor's transformation over its inputs' declared schemas: the product's own Kafka input
     * as {@code raw}, each input product as the newest released version of its major. Without a transformation, the
     * output columns are the raw table's columns of the same name.
     */
    @Override
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public ColumnLineage lineageOf(String domain, String product, ProductDescriptor descriptor) {
        Object resolved = reading(() -> lineageInputs(descriptor));
        if (resolved instanceof ColumnLineage known) {
            return known;
        }
        @SuppressWarnings("unchecked")
        List<LineageAnalyzer.LineageInput> inputs = (List<LineageAnalyzer.LineageInput>) resolved;
        LineageAnalyzer analyzer = analyzers.getIfAvailable();
        if (analyzer == null) {
            return ColumnLineage.unavailable("no lineage analyzer runs in this platform");
        }
        return analyzer.analyze(descriptor.transformation().sql(), inputs);
    }

    /** The views of a descriptor's transformation, or its lineage when that needs no analysis (or cannot have one). */
    private Object lineageInputs(ProductDescriptor descriptor) {
        List<LineageAnalyzer.LineageInput> inputs = new ArrayList<>();
        Optional<InputPort> kafka = descriptor.kafkaInput();
        List<SchemaField> rawFields = kafka.map(k -> k.schema() == null || k.schema().isEmpty() ? descriptor.schema()
                : k.schema()).orElse(List.of());
        if (kafka.isPresent()) {
            inputs.add(new LineageAnalyzer.LineageInput("raw", ColumnLineage.RAW, rawFields));
        }
        if (descriptor.transformation() == null) {
            List<ColumnLineage.OutputColumn> columns = new ArrayList<>();
            List<ColumnLineage.InputColumn> read = new ArrayList<>();
            for (SchemaField field : descriptor.schema()) {
                boolean landed = rawFields.stream().anyMatch(f -> f.name().equalsIgnoreCase(field.name()));
                columns.add(new ColumnLineage.OutputColumn(field.name(), landed ? List.of(new ColumnLineage.Source(
                        ColumnLineage.RAW, field.name(), ColumnLineage.Derivation.DIRECT)) : List.of()));
                if (landed) {
                    read.add(new ColumnLineage.InputColumn(ColumnLineage.RAW, field.name()));
                }
            }
            return new ColumnLineage(ColumnLineage.Status.COMPUTED, null, columns, read);
        }
        for (InputPort input : descriptor.productInputs()) {
            ProductMajor major = new ProductMajor(input.domain(), input.product(), input.majorVersion());
            Optional<ProductVersionView> released;
            try {
                released = newest(input.domain(), input.product(), input.majorVersion(), LifecycleStatus.PUBLISHED,
                        LifecycleStatus.DEPRECATED);
            } catch (RegistryException notFound) {
                released = Optional.empty();
            }
            if (released.isEmpty()) {
                return ColumnLineage.unavailable("the input " + major.key() + " has no released version to analyze "
                        + "the transformation against");
            }
            inputs.add(new LineageAnalyzer.LineageInput(major.inputView(), major.key(),
                    released.get().descriptor().schema()));
        }
        return inputs;
    }

    private <T> T reading(java.util.function.Supplier<T> read) {
        return readOnly.execute(tx -> read.get());
    }

    @Override
    public void deleteDraft(String domain, String product, String version, Long expectedRevision) {
        ProductVersionEntity stored = load(domain, product, version);
        Revisions.check(expectedRevision, stored.revision(), "version " + version + " of " + domain + "/" + product);
        if (stored.status() != LifecycleStatus.DRAFT) {
            throw RegistryException.conflict("version-not-draft", "version " + version + " of " + domain + "/"
                    + product + " is " + stored.status() + "; only drafts can be deleted (deprecate or retire it)");
        }
        ProductEntity owner = stored.product();
        versions.delete(stored);
        versions.flush();
        if (versions.findByProduct(owner).isEmpty()) {
            products.delete(owner);
            log.info("Product {}/{} deleted with its last version {}", domain, product, version);
        } else {
            log.info("Product {}/{} draft version {} deleted", domain, product, version);
        }
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<ProductVersionView> findVersion(String domain, String product, String version) {
        return products.findByDomainAndName(domain, product)
                .flatMap(p -> versions.findByProductAndVersion(p, version))
                .map(ProductCatalogService::view);
    }

    @Override
    @Transactional(readOnly = true)
    public ProductVersionView getVersion(String domain, String product, String version) {
        return view(load(domain, product, version));
    }

    /** Outside a transaction, the versions held since the last read while unchanged (one query checks them). */
    @Override
    @Transactional(propagation = Propagation.SUPPORTS)
    public List<ProductVersionView> versions(String domain, String product, boolean releasedOnly) {
        RecentProducts.Held held = versionsNow(domain, product);
        return releasedOnly ? held.released() : held.all();
    }

    @Override
    @Transactional(propagation = Propagation.SUPPORTS)
    public Optional<ProductVersionView> newest(String domain, String product, LifecycleStatus... statuses) {
        return newest(domain, product, v -> true, statuses);
    }

    @Override
    @Transactional(propagation = Propagation.SUPPORTS)
    public Optional<ProductVersionView> newest(String domain, String product, int major,
                                               LifecycleStatus... statuses) {
        return newest(domain, product, v -> v.major() == major, statuses);
    }

    private Optional<ProductVersionView> newest(String domain, String product,
                                                java.util.function.Predicate<ProductVersionView> which,
                                                LifecycleStatus... statuses) {
        Set<LifecycleStatus> wanted = statuses.length == 0 ? EnumSet.allOf(LifecycleStatus.class)
                : EnumSet.copyOf(Arrays.asList(statuses));
        return versionsNow(domain, product).all().stream()
                .filter(v -> wanted.contains(v.status()) && which.test(v))
                .findFirst();
    }

    /**
     * The product's versions, newest first. In a transaction (a change being made) as that transaction sees them,
     * its own changes included; outside one, held between reads while one query finds them unchanged.
     */
    private RecentProducts.Held versionsNow(String domain, String product) {
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isActualTransactionActive()) {
            return readVersions(domain, product, List.of());
        }
        return recent.versions(domain, product, () -> readOnly.execute(
                tx -> readVersions(domain, product, recent.state(domain, product))));
    }

    private RecentProducts.Held readVersions(String domain, String product, List<List<Object>> state) {
        List<ProductVersionView> all = versions.findByProduct(loadProduct(domain, product)).stream()
                .sorted(NEWEST_FIRST)
                .map(ProductCatalogService::view)
                .toList();
        return new RecentProducts.Held(state, all, all.stream().filter(v -> v.status().isReleased()).toList());
    }

    @Override
    @Transactional(readOnly = true)
    public ProductSummary getProduct(String domain, String product, boolean releasedOnly) {
        ProductEntity entity = loadProduct(domain, product);
        return summary(entity, versions.findByProduct(entity), releasedOnly)
                .orElseThrow(() -> productNotFound(domain, product));
    }

    @Override
    @Transactional(readOnly = true)
    public List<ProductMajor> servedMajors() {
        return versions.findMajorsWith(List.of(LifecycleStatus.served())).stream()
                .map(row -> new ProductMajor((String) row[0], (String) row[1], ((Number) row[2]).intValue()))
                .toList();
    }

    @Override
    @Transactional(readOnly = true)
    public List<ProductVersionView> servedNewest() {
        Map<ProductMajor, ProductVersionEntity> newest = new java.util.TreeMap<>(
                Comparator.comparing(ProductMajor::domain).thenComparing(ProductMajor::product)
                        .thenComparingInt(ProductMajor::major));
        for (ProductVersionEntity v : versions.findAllWith(List.of(LifecycleStatus.served()))) {
            newest.merge(new ProductMajor(domainOf(v), v.product().name(), v.major()), v,
                    (a, b) -> NEWEST_FIRST.compare(a, b) <= 0 ? a : b);
        }
        return newest.values().stream().map(ProductCatalogService::view).toList();
    }

    @Override
    @Transactional(propagation = Propagation.SUPPORTS)
    public PageResult<ProductSummary> search(ProductQuery query) {
        return search.search(query);
    }

    private Optional<ProductSummary> summary(ProductEntity p, List<ProductVersionEntity> all, boolean releasedOnly) {
        Map<Long, List<String>> flags = new java.util.HashMap<>();
        List<CatalogSearch.Version> listed = new ArrayList<>();
        for (ProductVersionEntity v : all) {
            flags.put(v.id(), v.flags().stream().map(dev.meshplatform.registry.api.VersionFlag::code).toList());
            listed.add(new CatalogSearch.Version(v.id(), p.id(), v.version(), v.status(), v.title(), v.description(),
                    v.tags()));
        }
        return CatalogSearch.summary(p.domain().name(), p.name(), p.createdAt(), p.updatedAt(), p.health(), listed,
                flags, releasedOnly);
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<ProductVersionView> previousReleased(String domain, String product, String version) {
        SemanticVersion semver = checkAddress(product, version);
        domains.load(domain);
        return products.findByDomainAndName(domain, product).flatMap(p -> previousReleased(p, semver))
                .map(ProductCatalogService::view);
    }

    /** The one definition of "the previous released version" (see {@link ProductCatalog#previousReleased}). */
    private Optional<ProductVersionEntity> previousReleased(ProductEntity product, SemanticVersion version) {
        List<ProductVersionEntity> released = versions.findByProduct(product).stream()
                .filter(v -> v.status() == LifecycleStatus.PUBLISHED || v.status() == LifecycleStatus.DEPRECATED)
                .filter(v -> v.semanticVersion().compareTo(version) < 0)
                .toList();
        Optional<ProductVersionEntity> sameMajor = released.stream()
                .filter(v -> v.semanticVersion().major() == version.major())
                .max(Comparator.comparing(ProductVersionEntity::semanticVersion));
        if (sameMajor.isPresent()) {
            return sameMajor;
        }
        int below = released.stream().mapToInt(v -> v.semanticVersion().major()).filter(m -> m < version.major())
                .max().orElse(-1);
        return released.stream().filter(v -> v.semanticVersion().major() == below)
                .max(Comparator.comparing(ProductVersionEntity::semanticVersion));
    }

    private List<GuardVerdict> askGuards(TransitionCheck check) {
        List<GuardVerdict> verdicts = new ArrayList<>();
        guards.orderedStream().forEach(g -> verdicts.addAll(g.check(check)));
        return verdicts;
    }

    @Override
    @Transactional(readOnly = true)
    public void check(String domain, String product, String version, ProductDescriptor descriptor) {
        checkAddress(product, version);
        domains.load(domain);
        if (descriptor == null) {
            return;
        }
        List<FieldProblem> problems = new ArrayList<>(validator.validate(domain, product, descriptor));
        if (problems.isEmpty()) {
            checks.orderedStream().forEach(check -> problems.addAll(check.check(domain, product, descriptor)));
        }
        if (!problems.isEmpty()) {
            throw RegistryException.invalid("the descriptor of " + domain + "/" + product + " " + version
                    + " has " + problems.size() + " problem(s)", problems);
        }
    }

    private SemanticVersion checkAddress(String product, String version) {
        List<FieldProblem> problems = new ArrayList<>();
        if (!Names.isValidName(product)) {
            problems.add(new FieldProblem("product", "lower-kebab, 2 to 63 characters, starting with a letter"));
        }
        if (!SemanticVersion.isValid(version)) {
            problems.add(new FieldProblem("version", "a semantic version MAJOR.MINOR.PATCH, e.g. 1.0.0"));
        }
        if (!problems.isEmpty()) {
            throw RegistryException.invalid("invalid product address", problems);
        }
        return SemanticVersion.parse(version);
    }

    private ProductEntity loadProduct(String domain, String product) {
        return products.findByDomainAndName(domain, product).orElseThrow(() -> productNotFound(domain, product));
    }

    private static RegistryException productNotFound(String domain, String product) {
        return RegistryException.notFound("product-not-found", "product " + domain + "/" + product + " does not exist");
    }

    private ProductVersionEntity load(String domain, String product, String version) {
        return versions.findByProductAndVersion(loadProduct(domain, product), version)
                .orElseThrow(() -> RegistryException.notFound("version-not-found",
                        "version " + version + " of " + domain + "/" + product + " does not exist"));
    }

    private static String domainOf(ProductVersionEntity v) {
        return v.product().domain().name();
    }

    static ProductVersionView view(ProductVersionEntity v) {
        return new ProductVersionView(domainOf(v), v.product().name(), v.version(), v.status(),
                DescriptorCodec.descriptor(v.descriptor()), v.descriptorHash(), v.revision(), v.createdAt(),
                v.updatedAt(), v.statusChangedAt(), v.sunsetAt(), v.flags());
    }

    @Override
    public void flag(String domain, String product, String version, String code, String message) {
        ProductVersionEntity v = load(domain, product, version);
        if (v.flag(code, message, clock.instant())) {
            log.warn("Product {}/{} version {} flagged {}: {}", domain, product, version, code, message);
        }
    }

    @Override
    public void unflag(String domain, String product, String version, String code) {
        if (load(domain, product, version).unflag(code)) {
            log.info("Product {}/{} version {} no longer flagged {}", domain, product, version, code);
        }
    }
}
