package dev.meshplatform.registry.catalog;

import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.PageResult;
import dev.meshplatform.registry.api.ProductQuery;
import dev.meshplatform.registry.api.ProductSummary;
import dev.meshplatform.registry.api.SemanticVersion;
import dev.meshplatform.registry.api.SloState;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The catalog search in plain JDBC, outside any transaction: a page of products with one query (a count only when
 * the page is full or past the end), then the page's versions and their flags with one query each. Catalog browsers
 * and CI pipelines search at every page; a JPA transaction with a criteria query, a count and lazy loads cost three
 * times as much.
 */
final class CatalogSearch {

    private static final Comparator<Version> NEWEST_FIRST =
            Comparator.comparing((Version v) -> SemanticVersion.parse(v.version())).reversed();

    private final JdbcTemplate jdbc;

    CatalogSearch(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    private record Found(long id, String domain, String name, Instant createdAt, Instant updatedAt, String health) {
    }

    /** A version as a summary lists it; its flags come apart, by its id. */
    record Version(long id, long product, String version, LifecycleStatus status, String title, String description,
                   List<String> tags) {
    }

    PageResult<ProductSummary> search(ProductQuery query) {
        List<Object> args = new ArrayList<>();
        String from = " from registry_product p join registry_domain d on d.id = p.domain_id where " + where(query, args);
        String order = query.sort() == ProductQuery.Sort.HEALTH ? "p.health_rank desc, d.name, p.name"
                : "d.name, p.name";
        long offset = (long) query.page() * query.size();
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(query.size());
        pageArgs.add(offset);
        List<Found> found = jdbc.query("select p.id, d.name, p.name, p.created_at, p.updated_at, p.health" + from
                        + " order by " + order + " limit ? offset ?", (rs, row) -> new Found(rs.getLong(1),
                        rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class).toInstant(),
                        rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6)),
                pageArgs.toArray());
        boolean lastPage = found.size() < query.size() && (!found.isEmpty() || query.page() == 0);
        long total = lastPage ? offset + found.size()
                : jdbc.queryForObject("select count(*)" + from, Long.class, args.toArray());
        Map<Long, List<Version>> versions = versions(found);
        Map<Long, List<String>> flags = flags(found);
        List<ProductSummary> items = new ArrayList<>();
        for (Found product : found) {
            summary(product.domain(), product.name(), product.createdAt(), product.updatedAt(),
                    product.health() == null ? null : SloState.valueOf(product.health()),
                    versions.getOrDefault(product.id(), List.of()), flags, query.releasedOnly()).ifPresent(items::add);
        }
        return new PageResult<>(items, query.page(), query.size(), total);
    }

    /** The filters: every one given must hold, the version ones all for one same version of the product. */
    private static String where(ProductQuery q, List<Object> args) {
        StringBuilder where = new StringBuilder("1 = 1");
        if (q.domain() != null) {
            where.append(" and d.name = ?");
            args.add(q.domain());
        }
        if (q.health() != null) {
            where.append(" and p.health = ?");
            args.add(q.health().name());
        }
        where.append(" and exists (select 1 from registry_product_version v where v.product_id = p.id");
        if (q.releasedOnly()) {
            where.append(" and v.status <> ?");
            args.add(LifecycleStatus.DRAFT.name());
        }
        if (q.status() != null) {
            where.append(" and v.status = ?");
            args.add(q.status().name());
        }
        if (q.tag() != null) {
            where.append(" and v.tags like ? escape '\\'");
            args.add("%," + escapeLike(q.tag()) + ",%");
        }
        if (q.text() != null && !q.text().isBlank()) {
            String pattern = "%" + escapeLike(q.text().toLowerCase(Locale.ROOT)) + "%";
            where.append(" and (lower(p.name) like ? escape '\\' or lower(v.title) like ? escape '\\'"
                    + " or lower(coalesce(v.description, '')) like ? escape '\\')");
            args.add(pattern);
            args.add(pattern);
            args.add(pattern);
        }
        return where.append(")").toString();
    }

    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private Map<Long, List<Version>> versions(List<Found> products) {
        if (products.isEmpty()) {
            return Map.of();
        }
        return jdbc.query("select v.id, v.product_id, v.version, v.status, v.title, v.description, v.tags "
                        + "from registry_product_version v where v.product_id in (" + placeholders(products) + ")",
                (rs, row) -> new Version(rs.getLong(1), rs.getLong(2), rs.getString(3),
                        LifecycleStatus.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6),
                        ProductVersionEntity.decodeTags(rs.getString(7))),
                products.stream().map(Found::id).toArray()).stream()
                .collect(Collectors.groupingBy(Version::product));
    }

    /** Each version's flag codes in code order, by version id. */
    private Map<Long, List<String>> flags(List<Found> products) {
        if (products.isEmpty()) {
            return Map.of();
        }
        Map<Long, List<String>> flags = new HashMap<>();
        jdbc.query("select f.version_id, f.code from registry_version_flag f join registry_product_version v "
                        + "on v.id = f.version_id where v.product_id in (" + placeholders(products) + ")",
                rs -> {
                    flags.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>()).add(rs.getString(2));
                }, products.stream().map(Found::id).toArray());
        // In Java's order, as a version's own flags are listed (a database's collation may differ).
        flags.values().forEach(Collections::sort);
        return flags;
    }

    private static String placeholders(List<Found> products) {
        return String.join(", ", Collections.nCopies(products.size(), "?"));
    }

    /**
     * A product as the catalog lists it: its newest visible version's title, description and tags, and every visible
     * version newest first with its flags' codes; nothing when no version is visible.
     */
    static Optional<ProductSummary> summary(String domain, String name, Instant createdAt, Instant updatedAt,
                                            SloState health, List<Version> all, Map<Long, List<String>> flags,
                                            boolean releasedOnly) {
        List<Version> visible = all.stream()
                .filter(v -> !releasedOnly || v.status().isReleased())
                .sorted(NEWEST_FIRST)
                .toList();
        if (visible.isEmpty()) {
            return Optional.empty();
        }
        Version latest = visible.get(0);
        return Optional.of(new ProductSummary(domain, name, latest.title(), latest.description(), latest.tags(),
                latest.version(), visible.stream().map(v -> new ProductSummary.VersionRef(v.version(), v.status(),
                        flags.getOrDefault(v.id(), List.of()))).toList(), createdAt, updatedAt, health));
    }
}
