package dev.meshplatform.registry.catalog;

import dev.meshplatform.registry.api.BackgroundLoop;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.RegistryException;
import dev.meshplatform.registry.api.RegistryProperties;
import dev.meshplatform.registry.api.RetiredDataPurge;
import dev.meshplatform.registry.api.VersionTransitioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Keeps a retired product major's data for its declared retention (or the default), then has every module purge it
 * (topics, tables, files) and, once a deleted domain has nothing left, frees its name. The retirement is recorded in
 * the transition's transaction; purging is idempotent and marked done only when every module's part succeeded, so a
 * failed or interrupted purge is simply tried again at the next pass.
 */
class RetentionPurger extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(RetentionPurger.class);

    private final JdbcTemplate jdbc;
    private final ProductCatalog products;
    private final ObjectProvider<RetiredDataPurge> purges;
    private final RegistryProperties properties;
    private final Clock clock;

    RetentionPurger(JdbcTemplate jdbc, ProductCatalog products, ObjectProvider<RetiredDataPurge> purges,
                    RegistryProperties properties, TaskScheduler scheduler, Clock clock) {
        super(scheduler, "Retention purge pass");
        this.jdbc = jdbc;
        this.products = products;
        this.purges = purges;
        this.properties = properties;
        this.clock = clock;
    }

    /** A major whose last served version retired starts its retention now. */
    @EventListener
    public void onTransition(VersionTransitioned event) {
        if (event.to() != LifecycleStatus.RETIRED || served(ProductMajor.of(event.version()))) {
            return;
        }
        ProductMajor major = ProductMajor.of(event.version());
        Instant now = clock.instant();
        Instant due = due(now, event.version().descriptor());
        jdbc.update("delete from registry_retired_major where domain_name = ? and product_name = ? and major = ?",
                major.domain(), major.product(), major.major());
        jdbc.update("insert into registry_retired_major (domain_name, product_name, major, retired_at, purge_due_at) "
                + "values (?, ?, ?, ?, ?)", major.domain(), major.product(), major.major(), Timestamp.from(now),
                Timestamp.from(due));
        log.info("{} retired: its data is kept until {}", major, due);
    }

    private Instant due(Instant retiredAt, ProductDescriptor descriptor) {
        String declared = descriptor.retention() == null ? null : descriptor.retention().period();
        if (declared == null || declared.isBlank()) {
            return retiredAt.plus(properties.retiredDataRetention());
        }
        try {
            return retiredAt.atOffset(ZoneOffset.UTC).plus(Period.parse(declared)).toInstant();
        } catch (DateTimeParseException notAPeriod) {
            return retiredAt.plus(Duration.parse(declared));
        }
    }

    private boolean served(ProductMajor major) {
        try {
            return products.versions(major.domain(), major.product(), true).stream()
                    .anyMatch(v -> v.major() == major.major() && (v.status() == LifecycleStatus.PUBLISHED
                            || v.status() == LifecycleStatus.DEPRECATED));
        } catch (RegistryException gone) {
            // The domain or product was deleted: nothing serves it.
            return false;
        }
    }

    /** Purges every retired major whose retention is over at {@code now}; returns those purged. */
    public List<ProductMajor> purgeDue(Instant now) {
        List<ProductMajor> due = jdbc.query("select domain_name, product_name, major from registry_retired_major "
                        + "where purged_at is null and purge_due_at <= ? order by purge_due_at",
                (rs, i) -> new ProductMajor(rs.getString(1), rs.getString(2), rs.getInt(3)), Timestamp.from(now));
        List<ProductMajor> purged = new java.util.ArrayList<>();
        for (ProductMajor major : due) {
            if (served(major)) {
                // A version of the major was published again since: its data is in use, not retired.
                jdbc.update("delete from registry_retired_major where domain_name = ? and product_name = ? "
                        + "and major = ?", major.domain(), major.product(), major.major());
                continue;
            }
            try {
                purges.orderedStream().forEach(purge -> purge.purge(major));
            } catch (RuntimeException e) {
                log.warn("Purge of retired {} failed; it is tried again next pass: {}", major, e.toString());
                continue;
            }
            jdbc.update("update registry_retired_major set purged_at = ? where domain_name = ? and product_name = ? "
                    + "and major = ?", Timestamp.from(clock.instant()), major.domain(), major.product(), major.major());
            log.info("Purged retired {}: its retention was over", major);
            purged.add(major);
        }
        // A deleted domain's name is free once every retired major it had is purged.
        int freed = jdbc.update("delete from registry_reserved_domain_name r where exists (select 1 from "
                + "registry_retired_major m where m.domain_name = r.name) and not exists (select 1 from "
                + "registry_retired_major m where m.domain_name = r.name and m.purged_at is null)");
        if (freed > 0) {
            log.info("{} deleted domain name(s) free again: their data is purged", freed);
        }
        return purged;
    }

    @Override
    protected Duration period() {
        return properties.purgeInterval();
    }

    @Override
    protected void pass() {
        purgeDue(clock.instant());
    }
}
