package dev.meshplatform.registry.catalog;

import dev.meshplatform.registry.api.ApplyOutcome;
import dev.meshplatform.registry.api.DescriptorChange;
import dev.meshplatform.registry.api.DescriptorCheck;
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
import jakarta.persistence.criteria.Join;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;
import jakarta.persistence.criteria.Subquery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.JsonNodeFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
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
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ProductCatalogService(DomainCatalogService domains, ProductRepository products, ProductVersionRepository versions,
                          DescriptorValidator validator, ObjectProvider<TransitionGuard> guards,
                          ObjectProvider<DescriptorCheck> checks, ApplicationEventPublisher events, Clock clock) {
        this.domains = domains;
        this.products = products;
        this.versions = versions;
        this.validator = validator;
        this.guards = guards;
        this.checks = checks;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public ApplyOutcome apply(String domain, String product, String version, ProductDescriptor descriptor,
                              Long expectedRevision, boolean dryRun) {
        if (descriptor == null) {
            throw RegistryException.invalid("a descriptor is required", List.of(new FieldProblem("", "empty body")));
        }
        check(domain, product, version, descriptor);
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
                return new ApplyOutcome(ApplyOutcome.Result.UNCHANGED, dryRun, view(stored), List.of(),
                        dryRun ? dryRunVerdicts(stored, descriptor) : List.of());
            }
            if (stored.status() != LifecycleStatus.DRAFT) {
                throw RegistryException.conflict("version-immutable", "version " + version + " of " + domain + "/"
                        + product + " is " + stored.status() + " and cannot change; apply a new version instead");
            }
            List<DescriptorChange> changes = DescriptorDiff.between(
                    DescriptorCodec.tree(DescriptorCodec.descriptor(stored.descriptor())), DescriptorCodec.tree(descriptor));
            if (dryRun) {
                return new ApplyOutcome(ApplyOutcome.Result.UPDATED, true, view(stored), changes,
                        dryRunVerdicts(stored, descriptor));
            }
            stored.replaceDescriptor(json, hash, descriptor.title(), descriptor.description(), descriptor.tags(), now);
            stored.product().touch(now);
            ProductVersionEntity saved = versions.saveAndFlush(stored);
            log.info("Product {}/{} version {} updated ({} changes)", domain, product, version, changes.size());
            return new ApplyOutcome(ApplyOutcome.Result.UPDATED, false, view(saved), changes, List.of());
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
            List<GuardVerdict> verdicts = askGuards(new TransitionCheck(domain, product, version, LifecycleStatus.DRAFT,
                    LifecycleStatus.PUBLISHED, descriptor,
                    baseline.map(ProductCatalogService::view).orElse(null), true));
            return new ApplyOutcome(ApplyOutcome.Result.CREATED, true, wouldBe, changes, verdicts);
        }
        ProductEntity owner = productEntity.orElseGet(() -> products.save(new ProductEntity(domainEntity, product, now)));
        owner.touch(now);
        ProductVersionEntity created = new ProductVersionEntity(owner, semver, now);
        created.replaceDescriptor(json, hash, descriptor.title(), descriptor.description(), descriptor.tags(), now);
        ProductVersionEntity saved = versions.saveAndFlush(created);
        log.info("Product {}/{} version {} created as DRAFT", domain, product, version);
        return new ApplyOutcome(ApplyOutcome.Result.CREATED, false, view(saved), changes, List.of());
    }

    private List<GuardVerdict> dryRunVerdicts(ProductVersionEntity stored, ProductDescriptor descriptor) {
        if (stored.status() != LifecycleStatus.DRAFT) {
            return List.of();
        }
        return askGuards(new TransitionCheck(domainOf(stored), stored.product().name(), stored.version(),
                LifecycleStatus.DRAFT, LifecycleStatus.PUBLISHED, descriptor,
                previousReleased(stored.product(), stored.semanticVersion()).map(ProductCatalogService::view)
                        .orElse(null), true));
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
        if (!from.canMoveTo(to)) {
            throw RegistryException.conflict("invalid-transition", "version " + version + " of " + domain + "/"
                    + product + " is " + from + " and cannot move to " + to
                    + " (the lifecycle is DRAFT → PUBLISHED → DEPRECATED → RETIRED)");
        }
        ProductDescriptor descriptor = DescriptorCodec.descriptor(stored.descriptor());
        List<GuardVerdict> verdicts = askGuards(new TransitionCheck(domain, product, version, from, to, descriptor,
                previousReleased(stored.product(), stored.semanticVersion()).map(ProductCatalogService::view)
                        .orElse(null), false));
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
        return new TransitionOutcome(view, verdicts);
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

    @Override
    @Transactional(readOnly = true)
    public List<ProductVersionView> versions(String domain, String product, boolean releasedOnly) {
        ProductEntity entity = loadProduct(domain, product);
        return versions.findByProduct(entity).stream()
                .filter(v -> !releasedOnly || v.status().isReleased())
                .sorted(NEWEST_FIRST)
                .map(ProductCatalogService::view)
                .toList();
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<ProductVersionView> newest(String domain, String product, LifecycleStatus... statuses) {
        return newest(domain, product, v -> true, statuses);
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<ProductVersionView> newest(String domain, String product, int major,
                                               LifecycleStatus... statuses) {
        return newest(domain, product, v -> v.major() == major, statuses);
    }

    private Optional<ProductVersionView> newest(String domain, String product,
                                                java.util.function.Predicate<ProductVersionEntity> which,
                                                LifecycleStatus... statuses) {
        Set<LifecycleStatus> wanted = statuses.length == 0 ? EnumSet.allOf(LifecycleStatus.class)
                : EnumSet.copyOf(Arrays.asList(statuses));
        return versions.findByProduct(loadProduct(domain, product)).stream()
                .filter(v -> wanted.contains(v.status()) && which.test(v))
                .sorted(NEWEST_FIRST)
                .findFirst()
                .map(ProductCatalogService::view);
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
    public PageResult<ProductSummary> search(ProductQuery query) {
        Page<ProductEntity> page = products.findAll(matching(query),
                PageRequest.of(query.page(), query.size(), Sort.by("domain.name", "name")));
        Map<Long, List<ProductVersionEntity>> byProduct = page.isEmpty() ? Map.of()
                : versions.findByProducts(page.getContent()).stream()
                .collect(Collectors.groupingBy(v -> v.product().id()));
        List<ProductSummary> items = new ArrayList<>();
        for (ProductEntity p : page.getContent()) {
            summary(p, byProduct.getOrDefault(p.id(), List.of()), query.releasedOnly()).ifPresent(items::add);
        }
        return new PageResult<>(items, query.page(), query.size(), page.getTotalElements());
    }

    private static Specification<ProductEntity> matching(ProductQuery q) {
        return (product, cq, cb) -> {
            List<Predicate> where = new ArrayList<>();
            Join<ProductEntity, DomainEntity> domain = product.join("domain");
            if (q.domain() != null) {
                where.add(cb.equal(domain.get("name"), q.domain()));
            }
            Subquery<Long> version = cq.subquery(Long.class);
            Root<ProductVersionEntity> v = version.from(ProductVersionEntity.class);
            List<Predicate> versionWhere = new ArrayList<>();
            versionWhere.add(cb.equal(v.get("product"), product));
            if (q.releasedOnly()) {
                versionWhere.add(cb.notEqual(v.get("status"), LifecycleStatus.DRAFT));
            }
            if (q.status() != null) {
                versionWhere.add(cb.equal(v.get("status"), q.status()));
            }
            if (q.tag() != null) {
                versionWhere.add(cb.like(v.get("tags"), "%," + escapeLike(q.tag()) + ",%", '\\'));
            }
            if (q.text() != null && !q.text().isBlank()) {
                String pattern = "%" + escapeLike(q.text().toLowerCase(Locale.ROOT)) + "%";
                versionWhere.add(cb.or(
                        cb.like(cb.lower(product.get("name")), pattern, '\\'),
                        cb.like(cb.lower(v.get("title")), pattern, '\\'),
                        cb.like(cb.lower(cb.coalesce(v.get("description"), "")), pattern, '\\')));
            }
            version.select(v.get("id")).where(versionWhere.toArray(Predicate[]::new));
            where.add(cb.exists(version));
            return cb.and(where.toArray(Predicate[]::new));
        };
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private Optional<ProductSummary> summary(ProductEntity p, List<ProductVersionEntity> all, boolean releasedOnly) {
        List<ProductVersionEntity> visible = all.stream()
                .filter(v -> !releasedOnly || v.status().isReleased())
                .sorted(NEWEST_FIRST)
                .toList();
        if (visible.isEmpty()) {
            return Optional.empty();
        }
        ProductVersionEntity latest = visible.get(0);
        return Optional.of(new ProductSummary(p.domain().name(), p.name(), latest.title(), latest.description(),
                latest.tags(), latest.version(),
                visible.stream().map(v -> new ProductSummary.VersionRef(v.version(), v.status(),
                        v.flags().stream().map(dev.meshplatform.registry.api.VersionFlag::code).toList())).toList(),
                p.createdAt(), p.updatedAt()));
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
