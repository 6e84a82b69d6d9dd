package dev.meshplatform.registry;

import dev.meshplatform.registry.api.ApiKeyStore;
import dev.meshplatform.registry.api.ApplyOutcome;
import dev.meshplatform.registry.api.Contact;
import dev.meshplatform.registry.api.DomainCatalog;
import dev.meshplatform.registry.api.DomainSpec;
import dev.meshplatform.registry.api.DomainView;
import dev.meshplatform.registry.api.IssuedApiKey;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.PageResult;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.ProductQuery;
import dev.meshplatform.registry.api.ProductSummary;
import dev.meshplatform.registry.api.RegistryException;
import dev.meshplatform.registry.api.Role;
import dev.meshplatform.registry.testsupport.Descriptors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the registry promises, run against each database it supports (the subclasses pick one). */
@SpringBootTest(classes = RegistryTestApplication.class,
        // Tests evaluate SLOs at times they choose, never in the background.
        properties = "mesh.registry.health.evaluation-interval=0")
abstract class RegistryPersistenceContract {

    @Autowired
    DomainCatalog domains;
    @Autowired
    ProductCatalog products;
    @Autowired
    ApiKeyStore keys;
    @Autowired
    RegistryTestApplication.TransitionRecorder transitions;
    @Autowired
    RegistryTestApplication.TestSloSignals sloSignals;
    @Autowired
    dev.meshplatform.registry.api.HealthCatalog healths;
    @Autowired
    org.springframework.context.ApplicationContext context;

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    DomainView newDomain() {
        return domains.create(unique("d"), new DomainSpec("Sales", "Selling things", "sales-team",
                List.of(new Contact("Ada", "ada@example.com", "owner"))));
    }

    static ProductDescriptor titled(String title) {
        ProductDescriptor c = Descriptors.complete();
        return new ProductDescriptor(title, c.description(), c.owner(), c.support(), c.tags(), c.inputPorts(),
                c.outputPort(), c.schema(), c.slos(), c.quality(), c.transformation(), c.retention(),
                c.customProperties());
    }

    static RegistryException.Reason reasonOf(Throwable t) {
        return ((RegistryException) t).reason();
    }

    @Test
    void domainsAreCreatedReadUpdatedAndDeleted() {
        DomainView created = newDomain();
        assertThat(domains.get(created.name()).contacts()).containsExactly(new Contact("Ada", "ada@example.com", "owner"));
        assertThatThrownBy(() -> domains.create(created.name(), new DomainSpec("x", null, "t", null)))
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(RegistryException.Reason.ALREADY_EXISTS));

        DomainView updated = domains.update(created.name(), new DomainSpec("Sales EU", null, "sales-eu", null),
                created.revision());
        assertThat(updated.title()).isEqualTo("Sales EU");
        assertThat(updated.revision()).isGreaterThan(created.revision());
        assertThatThrownBy(() -> domains.update(created.name(), new DomainSpec("x", null, "t", null),
                created.revision()))
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(RegistryException.Reason.PRECONDITION_FAILED));

        PageResult<DomainView> page = domains.list(0, 1000);
        assertThat(page.items()).extracting(DomainView::name).contains(created.name());
        assertThat(page.items()).filteredOn(d -> d.name().equals(created.name())).singleElement()
                .isEqualTo(domains.get(created.name()));
        assertThat(page.total()).isEqualTo(page.items().size());
        // Pages in one order; every page states the same total, whether it is full, partial or past the end.
        newDomain();
        long total = domains.list(0, 1000).total();
        assertThat(total).isGreaterThanOrEqualTo(2);
        List<String> paged = new java.util.ArrayList<>();
        for (int p = 0; p * 1L < total; p++) {
            PageResult<DomainView> one = domains.list(p, 1);
            assertThat(one.total()).isEqualTo(total);
            paged.addAll(one.items().stream().map(DomainView::name).toList());
        }
        // The database's order by name (its collation decides where a dash sorts), the same page by page.
        assertThat(paged).isEqualTo(domains.list(0, 1000).items().stream().map(DomainView::name).toList());
        assertThat(domains.list((int) total, 1).items()).isEmpty();
        assertThat(domains.list((int) total, 1).total()).isEqualTo(total);
        assertThat(domains.list(0, (int) total - 1).total()).isEqualTo(total);

        domains.delete(created.name(), null);
        assertThat(domains.find(created.name())).isEmpty();
    }

    @Test
    void applyIsIdempotentAndDryRunChangesNothing() {
        String d = newDomain().name();
        ApplyOutcome dry = products.apply(d, "people", "1.0.0", titled("People"), null, true);
        assertThat(dry.result()).isEqualTo(ApplyOutcome.Result.CREATED);
        assertThat(dry.verdicts()).extracting(v -> v.rule()).contains("no-blocked-title");
        assertThat(products.findVersion(d, "people", "1.0.0")).isEmpty();

        ApplyOutcome created = products.apply(d, "people", "1.0.0", titled("People"), null, false);
        assertThat(created.result()).isEqualTo(ApplyOutcome.Result.CREATED);
        assertThat(created.version().status()).isEqualTo(LifecycleStatus.DRAFT);
        assertThat(created.version().descriptor()).isEqualTo(titled("People"));

        ApplyOutcome again = products.apply(d, "people", "1.0.0", titled("People"), null, false);
        assertThat(again.result()).isEqualTo(ApplyOutcome.Result.UNCHANGED);
        assertThat(again.version().revision()).isEqualTo(created.version().revision());

        ApplyOutcome dryChange = products.apply(d, "people", "1.0.0", titled("People 2"), null, true);
        assertThat(dryChange.result()).isEqualTo(ApplyOutcome.Result.UPDATED);
        assertThat(dryChange.changes()).extracting(c -> c.path()).containsExactly("/title");
        assertThat(products.getVersion(d, "people", "1.0.0").descriptor().title()).isEqualTo("People");

        ApplyOutcome changed = products.apply(d, "people", "1.0.0", titled("People 2"), created.version().revision(),
                false);
        assertThat(changed.result()).isEqualTo(ApplyOutcome.Result.UPDATED);
        assertThat(products.getVersion(d, "people", "1.0.0").descriptor().title()).isEqualTo("People 2");
        assertThatThrownBy(() -> products.apply(d, "people", "1.0.0", titled("People 3"),
                created.version().revision(), false))
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(RegistryException.Reason.PRECONDITION_FAILED));
    }

    @Test
    void eachMajorHasItsOwnNewestVersion() {
        String d = newDomain().name();
        for (String version : new String[]{"1.0.0", "1.1.0", "2.0.0"}) {
            products.apply(d, "people", version, titled("People " + version), null, false);
            products.transition(d, "people", version, LifecycleStatus.PUBLISHED, null);
        }
        products.apply(d, "people", "1.2.0", titled("People 1.2"), null, false);

        assertThat(products.newest(d, "people", 1, LifecycleStatus.PUBLISHED)).get()
                .extracting(v -> v.version()).as("a draft does not run").isEqualTo("1.1.0");
        assertThat(products.newest(d, "people", 2, LifecycleStatus.PUBLISHED)).get()
                .extracting(v -> v.version()).isEqualTo("2.0.0");
        assertThat(products.newest(d, "people", 3, LifecycleStatus.PUBLISHED)).isEmpty();
        products.transition(d, "people", "1.1.0", LifecycleStatus.DEPRECATED, null);
        assertThat(products.newest(d, "people", 1, LifecycleStatus.PUBLISHED)).get()
                .extracting(v -> v.version()).isEqualTo("1.0.0");
        assertThat(products.newest(d, "people", 1, LifecycleStatus.served())).get()
                .extracting(v -> v.version()).as("a deprecated version is still served").isEqualTo("1.1.0");
        assertThatThrownBy(() -> products.newest("no-such-domain", "people", 1, LifecycleStatus.PUBLISHED))
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(RegistryException.Reason.NOT_FOUND));
    }

    @Test
    void aNewVersionIsComparedWithThePreviousReleasedVersion() {
        String d = newDomain().name();
        products.apply(d, "people", "1.0.0", titled("People"), null, false);
        assertThat(products.previousReleased(d, "people", "1.1.0")).as("a draft is no baseline").isEmpty();
        assertThat(products.apply(d, "people", "1.1.0", titled("People 1.1"), null, true).changes())
                .as("nothing released yet: the whole descriptor is new").hasSizeGreaterThan(1);
        products.transition(d, "people", "1.0.0", LifecycleStatus.PUBLISHED, null);
        products.apply(d, "people", "1.2.0", titled("People 1.2"), null, false);
        products.transition(d, "people", "1.2.0", LifecycleStatus.PUBLISHED, null);

        // A dry run of a new version lists its difference from the previous released version, not everything.
        assertThat(products.apply(d, "people", "1.3.0", titled("People 1.3"), null, true).changes())
                .extracting(c -> c.path()).containsExactly("/title");
        assertThat(products.previousReleased(d, "people", "1.3.0")).get()
                .extracting(v -> v.version()).isEqualTo("1.2.0");
        assertThat(products.previousReleased(d, "people", "1.1.0")).get()
                .extracting(v -> v.version()).isEqualTo("1.0.0");
        // The first version of a major: the newest released version of the major below.
        assertThat(products.previousReleased(d, "people", "2.0.0")).get()
                .extracting(v -> v.version()).isEqualTo("1.2.0");
        // A retired version is never a baseline.
        products.transition(d, "people", "1.2.0", LifecycleStatus.DEPRECATED, null);
        products.transition(d, "people", "1.2.0", LifecycleStatus.RETIRED, null);
        assertThat(products.previousReleased(d, "people", "1.3.0")).get()
                .extracting(v -> v.version()).isEqualTo("1.0.0");
        assertThat(products.previousReleased(d, "other", "1.0.0")).as("a new product").isEmpty();
        assertThatThrownBy(() -> products.previousReleased("no-such-domain", "people", "1.0.0"))
                .as("a failed lookup is an error, never an empty baseline")
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(RegistryException.Reason.NOT_FOUND));
    }

    @Test
    void invalidDescriptorsAndAddressesAreRefusedWithFieldProblems() {
        String d = newDomain().name();
        assertThatThrownBy(() -> products.apply(d, "People", "1.0", titled("x"), null, false))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.fieldProblems())
                        .extracting(RegistryException.FieldProblem::field).containsExactly("product", "version"));
        ProductDescriptor bad = new ProductDescriptor("t", null, null, null, null, null, null,
                List.of(Descriptors.field("id", "uuid", true, null)), null, null, null, null, null);
        assertThatThrownBy(() -> products.apply(d, "people", "1.0.0", bad, null, false))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.code()).isEqualTo("validation-failed");
                    assertThat(e.fieldProblems()).extracting(RegistryException.FieldProblem::field)
                            .containsExactly("schema[0].type");
                });
        assertThatThrownBy(() -> products.apply("no-such-domain", "people", "1.0.0", titled("x"), null, false))
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(RegistryException.Reason.NOT_FOUND));
    }

    @Test
    void theLifecycleMovesOneWayAndPublishedVersionsAreImmutable() {
        String d = newDomain().name();
        products.apply(d, "orders", "1.0.0", titled("Orders"), null, false);
        assertThatThrownBy(() -> products.transition(d, "orders", "1.0.0", LifecycleStatus.DEPRECATED, null))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo("invalid-transition"));

        var published = products.transition(d, "orders", "1.0.0", LifecycleStatus.PUBLISHED, null);
        assertThat(published.version().status()).isEqualTo(LifecycleStatus.PUBLISHED);
        assertThat(published.verdicts()).anySatisfy(v -> assertThat(v.rule()).isEqualTo("has-previous"));
        assertThat(transitions.events).anySatisfy(e -> {
            assertThat(e.version().domain()).isEqualTo(d);
            assertThat(e.to()).isEqualTo(LifecycleStatus.PUBLISHED);
        });

        assertThat(products.apply(d, "orders", "1.0.0", titled("Orders"), null, false).result())
                .isEqualTo(ApplyOutcome.Result.UNCHANGED);
        assertThatThrownBy(() -> products.apply(d, "orders", "1.0.0", titled("Orders!"), null, false))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo("version-immutable"));
        assertThatThrownBy(() -> products.deleteDraft(d, "orders", "1.0.0", null))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo("version-not-draft"));

        products.apply(d, "orders", "1.1.0", titled("Orders"), null, false);
        var second = products.transition(d, "orders", "1.1.0", LifecycleStatus.PUBLISHED, null);
        assertThat(second.verdicts()).filteredOn(v -> v.rule().equals("has-previous"))
                .allSatisfy(v -> assertThat(v.passed()).isTrue());

        products.transition(d, "orders", "1.0.0", LifecycleStatus.DEPRECATED, null);
        products.transition(d, "orders", "1.0.0", LifecycleStatus.RETIRED, null);
        assertThatThrownBy(() -> products.transition(d, "orders", "1.0.0", LifecycleStatus.PUBLISHED, null))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo("invalid-transition"));
        assertThat(products.versions(d, "orders", false)).extracting(v -> v.version() + ":" + v.status())
                .containsExactly("1.1.0:PUBLISHED", "1.0.0:RETIRED");
        assertThat(products.newest(d, "orders", LifecycleStatus.PUBLISHED)).get()
                .extracting(v -> v.version()).isEqualTo("1.1.0");
        assertThat(products.newest(d, "orders", LifecycleStatus.RETIRED)).get()
                .extracting(v -> v.version()).isEqualTo("1.0.0");
        assertThat(products.newest(d, "orders", LifecycleStatus.DRAFT, LifecycleStatus.DEPRECATED)).isEmpty();
        assertThatThrownBy(() -> products.newest(d, "no-such-product", LifecycleStatus.PUBLISHED))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo("product-not-found"));
    }

    @Test
    void aBlockingGuardStopsPublicationAndChangesNothing() {
        String d = newDomain().name();
        products.apply(d, "risky", "1.0.0", titled("blocked product"), null, false);
        assertThatThrownBy(() -> products.transition(d, "risky", "1.0.0", LifecycleStatus.PUBLISHED, null))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.code()).isEqualTo("policy-violation");
                    assertThat(e.verdicts()).anySatisfy(v -> assertThat(v.blocks()).isTrue());
                });
        assertThat(products.getVersion(d, "risky", "1.0.0").status()).isEqualTo(LifecycleStatus.DRAFT);
    }

    @Test
    void draftsAreDeletedAndTheProductGoesWithItsLastVersion() {
        String d = newDomain().name();
        products.apply(d, "temp", "0.1.0", titled("Temp"), null, false);
        products.apply(d, "temp", "0.2.0", titled("Temp"), null, false);
        products.deleteDraft(d, "temp", "0.1.0", null);
        assertThat(products.versions(d, "temp", false)).hasSize(1);
        products.deleteDraft(d, "temp", "0.2.0", null);
        assertThatThrownBy(() -> products.getProduct(d, "temp", false))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo("product-not-found"));
        domains.delete(d, null);
    }

    @Test
    void searchFiltersByDomainTagStatusTextAndVisibility() {
        String d = newDomain().name();
        ProductDescriptor c = Descriptors.complete();
        products.apply(d, "alpha", "1.0.0", titled("Alpha customers"), null, false);
        products.transition(d, "alpha", "1.0.0", LifecycleStatus.PUBLISHED, null);
        products.apply(d, "alpha", "2.0.0-rc.1", titled("Alpha customers next"), null, false);
        products.apply(d, "beta", "1.0.0", new ProductDescriptor("Beta 100% orders", "with_underscore", null, null,
                List.of("orders"), null, null, c.schema(), null, null, null, null, null), null, false);

        assertThat(search(new ProductQuery(d, null, null, null, false, 0, 10))).extracting(ProductSummary::name)
                .containsExactly("alpha", "beta");
        assertThat(search(new ProductQuery(d, null, null, null, true, 0, 10))).singleElement().satisfies(p -> {
            assertThat(p.latestVersion()).isEqualTo("1.0.0");
            assertThat(p.versions()).extracting(ProductSummary.VersionRef::version).containsExactly("1.0.0");
        });
        assertThat(search(new ProductQuery(d, null, null, null, false, 0, 10)).get(0).latestVersion())
                .isEqualTo("2.0.0-rc.1");
        assertThat(search(new ProductQuery(d, "orders", null, null, false, 0, 10))).extracting(ProductSummary::name)
                .containsExactly("beta");
        assertThat(search(new ProductQuery(d, "order", null, null, false, 0, 10))).isEmpty();
        assertThat(search(new ProductQuery(d, null, LifecycleStatus.PUBLISHED, null, false, 0, 10)))
                .extracting(ProductSummary::name).containsExactly("alpha");
        assertThat(search(new ProductQuery(d, null, null, "CUSTOMERS", false, 0, 10)))
                .extracting(ProductSummary::name).containsExactly("alpha");
        assertThat(search(new ProductQuery(d, null, null, "100%", false, 0, 10))).extracting(ProductSummary::name)
                .containsExactly("beta");
        assertThat(search(new ProductQuery(d, null, null, "h_u", false, 0, 10))).extracting(ProductSummary::name)
                .containsExactly("beta");
        PageResult<ProductSummary> page = products.search(new ProductQuery(d, null, null, null, false, 1, 1));
        assertThat(page.total()).isEqualTo(2);
        assertThat(page.items()).extracting(ProductSummary::name).containsExactly("beta");

        // The search lists a product exactly as reading it does: versions newest first, flags in code order, tags.
        products.flag(d, "alpha", "1.0.0", "sql-refused", "refused now");
        products.flag(d, "alpha", "1.0.0", "input-retired", "an input is retired");
        for (boolean releasedOnly : List.of(false, true)) {
            List<ProductSummary> listed = search(new ProductQuery(d, null, null, null, releasedOnly, 0, 10));
            assertThat(listed).allSatisfy(p -> assertThat(p).isEqualTo(products.getProduct(d, p.name(),
                    releasedOnly)));
        }
        assertThat(search(new ProductQuery(d, null, null, "alpha", true, 0, 10)).get(0).versions())
                .singleElement().satisfies(v -> assertThat(v.flags()).containsExactly("input-retired", "sql-refused"));
        assertThat(search(new ProductQuery(d, "orders", null, null, false, 0, 10)).get(0).tags())
                .containsExactly("orders");
        // Past the last page: nothing, and the same total.
        PageResult<ProductSummary> past = products.search(new ProductQuery(d, null, null, null, false, 5, 1));
        assertThat(past.items()).isEmpty();
        assertThat(past.total()).isEqualTo(2);
    }

    private List<ProductSummary> search(ProductQuery query) {
        return products.search(query).items();
    }

    @Test
    void aVersionChangedByAnotherInstanceIsSeenAtTheNextRead() {
        String d = newDomain().name();
        products.apply(d, "people", "1.0.0", titled("People"), null, false);
        products.transition(d, "people", "1.0.0", LifecycleStatus.PUBLISHED, null);
        assertThat(products.versions(d, "people", true)).extracting(v -> v.status())
                .containsExactly(LifecycleStatus.PUBLISHED);
        assertThat(products.versions(d, "people", true)).as("read again, unchanged: the same versions")
                .isSameAs(products.versions(d, "people", true));

        // What another instance sharing the database writes, bypassing this one's held versions.
        org.springframework.jdbc.core.JdbcTemplate jdbc = context.getBean(org.springframework.jdbc.core.JdbcTemplate.class);
        Long id = jdbc.queryForObject("select v.id from registry_product_version v join registry_product p on "
                + "p.id = v.product_id join registry_domain d on d.id = p.domain_id where d.name = ? and "
                + "p.name = 'people'", Long.class, d);
        jdbc.update("update registry_product_version set status = 'DEPRECATED', revision = revision + 1 where id = ?",
                id);
        assertThat(products.newest(d, "people", LifecycleStatus.PUBLISHED)).isEmpty();
        assertThat(products.newest(d, "people", LifecycleStatus.served())).get().extracting(v -> v.status())
                .isEqualTo(LifecycleStatus.DEPRECATED);

        // A flag changes no revision (it is no part of the version's ETag), and is seen all the same.
        jdbc.update("insert into registry_version_flag (version_id, code, message, flagged_at) values (?, ?, ?, ?)",
                id, "sql-refused", "flagged elsewhere", java.sql.Timestamp.from(Instant.now()));
        assertThat(products.versions(d, "people", false).get(0).flags()).extracting(f -> f.code())
                .containsExactly("sql-refused");
        jdbc.update("update registry_version_flag set message = 'flagged again' where version_id = ?", id);
        assertThat(products.versions(d, "people", false).get(0).flags()).extracting(f -> f.message())
                .containsExactly("flagged again");

        products.apply(d, "people", "1.1.0", titled("People 1.1"), null, false);
        assertThat(products.versions(d, "people", false)).extracting(v -> v.version())
                .containsExactly("1.1.0", "1.0.0");
    }

    @Test
    void keysAuthenticateUntilRevokedOrExpired() {
        String d = newDomain().name();
        IssuedApiKey owner = keys.issue("ci", Role.DOMAIN_OWNER, d, null, "test");
        assertThat(owner.secret()).startsWith("mesh_" + owner.key().id() + "_");
        assertThat(keys.authenticate(owner.secret())).contains(new MeshPrincipal(owner.key().id(), Role.DOMAIN_OWNER, d));
        assertThat(keys.authenticate(owner.secret() + "x")).isEmpty();
        String secret = owner.secret();
        char last = secret.charAt(secret.length() - 1);
        assertThat(keys.authenticate(secret.substring(0, secret.length() - 1) + (last == 'A' ? 'B' : 'A'))).isEmpty();
        assertThat(keys.authenticate("Bearer nonsense")).isEmpty();
        assertThat(keys.list(d, 0, 10).items()).extracting(k -> k.id()).containsExactly(owner.key().id());

        keys.revoke(owner.key().id());
        assertThat(keys.authenticate(owner.secret())).isEmpty();

        IssuedApiKey member = keys.issue("member", Role.DOMAIN_MEMBER, d, Instant.now().plus(1, ChronoUnit.DAYS), "t");
        assertThat(keys.authenticate(member.secret())).isPresent();
        domains.delete(d, null);
        assertThat(keys.authenticate(member.secret())).isEmpty();

        assertThatThrownBy(() -> keys.issue("x", Role.CONSUMER, null, null, "t"))
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(RegistryException.Reason.INVALID));
        assertThatThrownBy(() -> keys.issue("x", Role.PLATFORM_ADMIN, "some-domain", null, "t"))
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(RegistryException.Reason.INVALID));
        assertThatThrownBy(() -> keys.issue("x", Role.CONSUMER, "no-such-domain", null, "t"))
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(RegistryException.Reason.NOT_FOUND));
        assertThatThrownBy(() -> keys.issue("x", Role.PLATFORM_ADMIN, null, Instant.now().minusSeconds(1), "t"))
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(RegistryException.Reason.INVALID));

        // A scraper's key: no domain, and the database's role constraint takes it.
        IssuedApiKey scraper = keys.issue("prometheus", Role.METRICS_READER, null, null, "t");
        MeshPrincipal scraping = keys.authenticate(scraper.secret()).orElseThrow();
        assertThat(scraping.role()).isEqualTo(Role.METRICS_READER);
        assertThat(scraping.domain()).isNull();
        assertThat(scraping.isAdmin()).isFalse();
        assertThatThrownBy(() -> keys.issue("x", Role.METRICS_READER, "some-domain", null, "t"))
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(RegistryException.Reason.INVALID));

        IssuedApiKey admin = keys.issue("admin", Role.PLATFORM_ADMIN, null, null, "t");
        assertThat(keys.hasActiveAdminKey()).isTrue();
        assertThat(keys.authenticate(admin.secret()).orElseThrow().isAdmin()).isTrue();
        context.getBean(org.springframework.jdbc.core.JdbcTemplate.class).update(
                "update registry_api_key set expires_at = ? where key_id = ?",
                java.sql.Timestamp.from(Instant.now().minusSeconds(1)), admin.key().id());
        assertThat(keys.authenticate(admin.secret())).as("expired a second ago").isEmpty();
    }

    @Test
    void sloStatesChangeAtTheirBoundariesAndRecordEachTransitionOnce() {
        String d = newDomain().name();
        products.apply(d, "fresh", "1.0.0", titled("Fresh"), null, false);
        products.transition(d, "fresh", "1.0.0", LifecycleStatus.PUBLISHED, null);
        products.apply(d, "stale", "1.0.0", titled("Stale"), null, false);
        products.transition(d, "stale", "1.0.0", LifecycleStatus.PUBLISHED, null);
        dev.meshplatform.registry.api.ProductMajor stale = new dev.meshplatform.registry.api.ProductMajor(d, "stale", 1);
        Instant newest = Instant.parse("2026-11-24T10:00:00Z");
        // 995 of 1000 is 99.5 %, the target: at risk (at or below 99.6 %), not breached.
        sloSignals.signals.put(stale, new dev.meshplatform.registry.api.SloSignal(newest, 995, 1000, "events"));
        // Data of the last moment the test evaluates at: always met.
        sloSignals.signals.put(new dev.meshplatform.registry.api.ProductMajor(d, "fresh", 1),
                new dev.meshplatform.registry.api.SloSignal(newest.plusSeconds(3602), 10, 10, "events"));
        int before = transitions.sloChanges.size();

        // The complete descriptor's freshness is PT1H: at risk from 48 min, breached past 60.
        dev.meshplatform.registry.health.SloEvaluations.evaluateAll(context, newest.plusSeconds(60));
        dev.meshplatform.registry.health.SloEvaluations.evaluateAll(context, newest.plusSeconds(47 * 60));
        assertThat(state(d, "stale", "freshness")).isEqualTo(dev.meshplatform.registry.api.SloState.MET);
        assertThat(state(d, "stale", "completeness")).isEqualTo(dev.meshplatform.registry.api.SloState.AT_RISK);
        // An unchanged state still shows its newest observation, and since when it holds.
        var freshness = healths.health(d, "stale", null, 10).majors().get(0).slos().stream()
                .filter(s -> s.slo().equals("freshness")).findFirst().orElseThrow();
        assertThat(freshness.observed()).isEqualTo(47 * 60.0);
        assertThat(freshness.evaluatedAt()).isEqualTo(newest.plusSeconds(47 * 60));
        assertThat(freshness.since()).isEqualTo(newest.plusSeconds(60));
        dev.meshplatform.registry.health.SloEvaluations.evaluateAll(context, newest.plusSeconds(48 * 60));
        assertThat(state(d, "stale", "freshness")).isEqualTo(dev.meshplatform.registry.api.SloState.AT_RISK);
        dev.meshplatform.registry.health.SloEvaluations.evaluateAll(context, newest.plusSeconds(60 * 60));
        assertThat(state(d, "stale", "freshness")).isEqualTo(dev.meshplatform.registry.api.SloState.AT_RISK);
        dev.meshplatform.registry.health.SloEvaluations.evaluateAll(context, newest.plusSeconds(60 * 60 + 1));
        assertThat(state(d, "stale", "freshness")).isEqualTo(dev.meshplatform.registry.api.SloState.BREACHED);

        // Each change once, with its event: first evaluations, then MET -> AT_RISK -> BREACHED.
        List<String> staleChanges = transitions.sloChanges.subList(before, transitions.sloChanges.size()).stream()
                .filter(e -> e.domain().equals(d) && e.product().equals("stale") && e.slo().equals("freshness"))
                .map(e -> e.from() + "->" + e.to()).toList();
        assertThat(staleChanges).containsExactly("null->MET", "MET->AT_RISK", "AT_RISK->BREACHED");
        dev.meshplatform.registry.api.ProductHealth health = healths.health(d, "stale", null, 10);
        assertThat(health.state()).isEqualTo(dev.meshplatform.registry.api.SloState.BREACHED);
        assertThat(health.majors().get(0).transitions()).extracting(t -> t.slo() + ":" + t.to())
                .containsExactly("freshness:BREACHED", "freshness:AT_RISK", "completeness:AT_RISK",
                        "freshness:MET");
        assertThat(health.majors().get(0).transitions().get(0).reason())
                .isEqualTo("newest data 3601.0 s old; target PT1H, at risk from 2880.0 s");
        assertThat(healths.health(d, "stale", newest.plusSeconds(48 * 60), 10).majors().get(0).transitions())
                .hasSize(2);
        assertThat(healths.health(d, "stale", null, 1).majors().get(0).transitions()).hasSize(1);

        // The catalog filters and sorts by the worst state.
        assertThat(search(new ProductQuery(d, null, null, null, true, dev.meshplatform.registry.api.SloState.BREACHED,
                ProductQuery.Sort.NAME, 0, 10))).extracting(ProductSummary::name).containsExactly("stale");
        assertThat(search(new ProductQuery(d, null, null, null, true, null, ProductQuery.Sort.HEALTH, 0, 10)))
                .extracting(p -> p.name() + ":" + p.health()).containsExactly("stale:BREACHED", "fresh:MET");

        // Fresh data again: met, and the catalog follows.
        sloSignals.signals.put(stale, new dev.meshplatform.registry.api.SloSignal(newest.plusSeconds(3600), 1000,
                1000, "events"));
        dev.meshplatform.registry.health.SloEvaluations.evaluateAll(context, newest.plusSeconds(3601));
        assertThat(healths.health(d, "stale", null, 10).state()).isEqualTo(dev.meshplatform.registry.api.SloState.MET);
        assertThat(search(new ProductQuery(d, null, null, null, true, dev.meshplatform.registry.api.SloState.BREACHED,
                ProductQuery.Sort.NAME, 0, 10))).isEmpty();
        // A retired major's states go; its transitions stay in the history.
        products.transition(d, "stale", "1.0.0", LifecycleStatus.DEPRECATED, null);
        products.transition(d, "stale", "1.0.0", LifecycleStatus.RETIRED, null);
        dev.meshplatform.registry.health.SloEvaluations.evaluateAll(context, newest.plusSeconds(3602));
        assertThat(healths.health(d, "stale", null, 10).majors()).isEmpty();
        assertThat(search(new ProductQuery(d, null, null, null, false, null, ProductQuery.Sort.HEALTH, 0, 10)))
                .extracting(p -> p.name() + ":" + p.health()).containsExactly("fresh:MET", "stale:null");
    }

    private dev.meshplatform.registry.api.SloState state(String domain, String product, String slo) {
        return healths.health(domain, product, null, 10).majors().get(0).slos().stream()
                .filter(s -> s.slo().equals(slo)).findFirst().orElseThrow().state();
    }
}
