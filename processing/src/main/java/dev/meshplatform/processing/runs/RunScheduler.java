package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.ProcessingException;
import dev.meshplatform.registry.api.BackgroundLoop;
import dev.meshplatform.registry.api.CronSchedule;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.PageResult;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductQuery;
import dev.meshplatform.registry.api.ProductSummary;
import dev.meshplatform.registry.api.ProductVersionView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.support.CronExpression;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Starts runs on each product major's cron schedule (its newest published version's, evaluated in UTC). Every instance
 * looks; one wins each firing through a conditional update of the schedule's last firing. A firing that finds a run
 * in progress is skipped; firings missed while no instance ran are not made up.
 */
final class RunScheduler extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(RunScheduler.class);

    private final RunService runs;
    private final ProductCatalog products;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration tick;

    public RunScheduler(RunService runs, ProductCatalog products, JdbcTemplate jdbc, TaskScheduler scheduler,
                        Clock clock, Duration tick) {
        super(scheduler, "Run scheduler tick");
        this.runs = runs;
        this.products = products;
        this.jdbc = jdbc;
        this.clock = clock;
        this.tick = tick;
    }

    void tick() {
        Instant now = clock.instant();
        for (int page = 0; ; page++) {
            PageResult<ProductSummary> found = products.search(new ProductQuery(null, null, LifecycleStatus.PUBLISHED,
                    null, true, page, 200));
            for (ProductSummary product : found.items()) {
                try {
                    consider(product, now);
                } catch (RuntimeException e) {
                    log.warn("Schedule of {}/{} not evaluated: {}", product.domain(), product.name(), e.toString());
                }
            }
            if ((long) (page + 1) * 200 >= found.total()) {
                return;
            }
        }
    }

    /** Each major's schedule is its own: that of its newest published version. */
    private void consider(ProductSummary product, Instant now) {
        Map<Integer, ProductVersionView> newestByMajor = new TreeMap<>();
        // versions() lists newest first: the first seen of a major is its newest.
        products.versions(product.domain(), product.name(), true).stream()
                .filter(v -> v.status() == LifecycleStatus.PUBLISHED)
                .forEach(v -> newestByMajor.putIfAbsent(v.major(), v));
        for (ProductVersionView published : newestByMajor.values()) {
            if (published.descriptor().transformation() != null
                    && published.descriptor().transformation().schedule() != null) {
                consider(published, now);
            }
        }
    }

    private void consider(ProductVersionView published, Instant now) {
        CronExpression cron = CronSchedule.parse(published.descriptor().transformation().schedule());
        String key = RunService.productKey(published.domain(), published.product(), published.major());
        Optional<Instant> last = jdbc.queryForList("select last_fire_at from processing_schedule where product_key = ?",
                Timestamp.class, key).stream().findFirst().map(Timestamp::toInstant);
        if (last.isEmpty()) {
            try {
                jdbc.update("insert into processing_schedule (product_key, last_fire_at) values (?, ?)", key,
                        Timestamp.from(now));
            } catch (DuplicateKeyException raced) {
                // Another instance started the schedule at the same moment.
            }
            return;
        }
        LocalDateTime next = cron.next(LocalDateTime.ofInstant(last.get(), ZoneOffset.UTC));
        if (next == null || next.toInstant(ZoneOffset.UTC).isAfter(now)) {
            return;
        }
        // Claim this firing (the latest one due, so that a long outage fires once, not once per missed slot).
        LocalDateTime due = next;
        for (LocalDateTime after = cron.next(due); after != null && !after.toInstant(ZoneOffset.UTC).isAfter(now);
             after = cron.next(after)) {
            due = after;
        }
        int claimed = jdbc.update("update processing_schedule set last_fire_at = ? where product_key = ? "
                + "and last_fire_at = ?", Timestamp.from(due.toInstant(ZoneOffset.UTC)), key,
                Timestamp.from(last.get()));
        if (claimed != 1) {
            return;
        }
        try {
            runs.trigger(published.domain(), published.product(), published.major(), "SCHEDULE", "schedule");
        } catch (ProcessingException e) {
            log.info("Scheduled run of {} skipped: {}", key, e.getMessage());
        }
    }

    @Override
    protected Duration period() {
        return tick;
    }

    @Override
    protected void pass() {
        tick();
    }
}
