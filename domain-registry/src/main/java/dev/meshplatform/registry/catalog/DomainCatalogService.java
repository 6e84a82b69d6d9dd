package dev.meshplatform.registry.catalog;

import dev.meshplatform.registry.api.Contact;
import dev.meshplatform.registry.api.DomainCatalog;
import dev.meshplatform.registry.api.DomainDeleted;
import dev.meshplatform.registry.api.DomainSpec;
import dev.meshplatform.registry.api.DomainView;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.Names;
import dev.meshplatform.registry.api.PageResult;
import dev.meshplatform.registry.api.RegistryException;
import dev.meshplatform.registry.api.RegistryException.FieldProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

@Transactional
class DomainCatalogService implements DomainCatalog {

    private static final Logger log = LoggerFactory.getLogger(DomainCatalogService.class);
    private static final TypeReference<List<Contact>> CONTACTS = new TypeReference<>() {
    };

    private final DomainRepository domains;
    private final ProductRepository products;
    private final ProductVersionRepository versions;
    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    DomainCatalogService(DomainRepository domains, ProductRepository products, ProductVersionRepository versions,
                         JdbcTemplate jdbc, ApplicationEventPublisher events, Clock clock) {
        this.domains = domains;
        this.products = products;
        this.versions = versions;
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public DomainView create(String name, DomainSpec spec) {
        if (!Names.isValidName(name)) {
            throw RegistryException.invalid("invalid domain name",
                    List.of(new FieldProblem("name", "lower-kebab, 2 to 63 characters, starting with a letter")));
        }
        if (domains.existsByName(name)) {
            throw new RegistryException(RegistryException.Reason.ALREADY_EXISTS, "domain-exists",
                    "domain '" + name + "' already exists");
        }
        if (reserved(name)) {
            throw new RegistryException(RegistryException.Reason.ALREADY_EXISTS, "domain-name-reserved",
                    "domain '" + name + "' was deleted and the platform still keeps its retired products' data: the "
                            + "name is free again once that data is purged (a new domain must not inherit it)");
        }
        Instant now = clock.instant();
        DomainEntity entity = new DomainEntity(name, now);
        entity.update(spec.title(), spec.description(), spec.ownerTeam(), DescriptorCodec.toJson(spec.contacts()), now);
        DomainView view = view(domains.saveAndFlush(entity));
        log.info("Domain {} created", name);
        return view;
    }

    @Override
    public DomainView update(String name, DomainSpec spec, Long expectedRevision) {
        DomainEntity entity = load(name);
        Revisions.check(expectedRevision, entity.revision(), "domain '" + name + "'");
        entity.update(spec.title(), spec.description(), spec.ownerTeam(), DescriptorCodec.toJson(spec.contacts()),
                clock.instant());
        DomainView view = view(domains.saveAndFlush(entity));
        log.info("Domain {} updated", name);
        return view;
    }

    @Override
    public void delete(String name, Long expectedRevision) {
        DomainEntity entity = load(name);
        Revisions.check(expectedRevision, entity.revision(), "domain '" + name + "'");
        List<ProductEntity> owned = products.findAllByDomain(name);
        List<String> live = new java.util.ArrayList<>();
        for (ProductEntity product : owned) {
            versions.findByProduct(product).stream().filter(v -> v.status() != LifecycleStatus.RETIRED)
                    .forEach(v -> live.add(product.name() + " " + v.version() + " (" + v.status() + ")"));
        }
        if (!live.isEmpty()) {
            throw RegistryException.conflict("domain-not-empty", "domain '" + name + "' still has versions that are "
                    + "not retired: " + String.join(", ", live) + "; retire them (delete drafts) first");
        }
        if (!owned.isEmpty()) {
            // Every product is retired: the catalog forgets them; their data stays until purged, and so the name
            // stays reserved.
            for (ProductEntity product : owned) {
                versions.deleteAll(versions.findByProduct(product));
            }
            products.deleteAll(owned);
            jdbc.update("insert into registry_reserved_domain_name (name, deleted_at) values (?, ?)", name,
                    java.sql.Timestamp.from(clock.instant()));
        }
        domains.delete(entity);
        events.publishEvent(new DomainDeleted(name));
        log.info("Domain {} deleted", name);
    }

    private boolean reserved(String name) {
        Long count = jdbc.queryForObject("select count(*) from registry_reserved_domain_name where name = ?",
                Long.class, name);
        return count != null && count > 0;
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<DomainView> find(String name) {
        return domains.findByName(name).map(DomainCatalogService::view);
    }

    @Override
    @Transactional(readOnly = true)
    public DomainView get(String name) {
        return view(load(name));
    }

    @Override
    @Transactional(propagation = Propagation.SUPPORTS)
    public PageResult<DomainView> list(int page, int size) {
        // Plain JDBC, no persistence context: every catalog browser reads this list, and each read was a JPA
        // transaction of two queries. A partial page already says the total, which then needs no count.
        long offset = (long) page * size;
        List<DomainView> items = jdbc.query("select name, title, description, owner_team, contacts, created_at, "
                + "updated_at, revision from registry_domain order by name limit ? offset ?", (rs, row) ->
                new DomainView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        DescriptorCodec.read(rs.getString(5), CONTACTS),
                        rs.getObject(6, OffsetDateTime.class).toInstant(),
                        rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getLong(8)), size, offset);
        boolean lastPage = items.size() < size && (!items.isEmpty() || page == 0);
        long total = lastPage ? offset + items.size()
                : jdbc.queryForObject("select count(*) from registry_domain", Long.class);
        return new PageResult<>(items, page, size, total);
    }

    DomainEntity load(String name) {
        return domains.findByName(name).orElseThrow(() -> RegistryException.notFound("domain-not-found",
                "domain '" + name + "' does not exist"));
    }

    static DomainView view(DomainEntity e) {
        return new DomainView(e.name(), e.title(), e.description(), e.ownerTeam(),
                DescriptorCodec.read(e.contacts(), CONTACTS), e.createdAt(), e.updatedAt(), e.revision());
    }
}
