package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.InputAccess;
import dev.meshplatform.processing.api.ProcessingException;
import dev.meshplatform.processing.api.ProcessingProperties;
import dev.meshplatform.processing.api.RunControl;
import dev.meshplatform.processing.api.RunView;
import dev.meshplatform.processing.api.Runs;
import dev.meshplatform.processing.api.SqlRefusedException;
import dev.meshplatform.processing.api.TransformationOutcome;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.PageResult;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.RegistryException;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Queues and runs transformations, one at a time per product, and keeps each run's record true: a run ends
 * SUCCEEDED (published), FAILED (with the error, or the quality rules that blocked it) or CANCELLED; a run whose
 * instance stopped is marked FAILED by any instance once it has been silent for {@code stale-run-after}.
 */
public final class RunService implements Runs, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RunService.class);

    private final WriteAuditPublish transformations;
    private final ProductCatalog products;
    private final InputAccess inputAccess;
    private final RunStore store;
    private final Supplier<SparkSession> spark;
    private final ProcessingProperties properties;
    private final Clock clock;
    private final String instance;
    private final Set<String> local = ConcurrentHashMap.newKeySet();
    private ExecutorService workers;
    private ScheduledExecutorService ticker;
    private volatile boolean running;

    public RunService(WriteAuditPublish transformations, ProductCatalog products, InputAccess inputAccess,
                      JdbcTemplate jdbc, Supplier<SparkSession> spark, ProcessingProperties properties, Clock clock) {
        this.transformations = transformations;
        this.products = products;
        this.inputAccess = inputAccess;
        this.store = new RunStore(jdbc);
        this.spark = spark;
        this.properties = properties;
        this.clock = clock;
        this.instance = ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString()
                .substring(0, 8);
    }

    private static String productKey(String domain, String product) {
        return domain + "/" + product;
    }

    @Override
    public RunView trigger(String domain, String product, String trigger, String requestedBy) {
        ProductVersionView version = newestPublished(domain, product);
        if (version.descriptor().transformation() == null) {
            throw new ProcessingException(ProcessingException.Reason.CONFLICT, "no-transformation", "product "
                    + domain + "/" + product + " " + version.version() + " declares no transformation");
        }
        String id = UUID.randomUUID().toString();
        if (!store.lock(productKey(domain, product), id)) {
            String active = store.activeRun(productKey(domain, product)).orElse("?");
            throw new ProcessingException(ProcessingException.Reason.CONFLICT, "run-in-progress", "product "
                    + domain + "/" + product + " has a run queued or running (" + active + "); one at a time");
        }
        store.insert(id, domain, product, version.major(), version.version(), trigger, requestedBy, instance,
                clock.instant());
        local.add(id);
        log.info("Run {} of {}/{} {} queued ({})", id, domain, product, version.version(), trigger);
        workers.execute(() -> execute(id, version));
        return store.find(id).orElseThrow().view();
    }

    private ProductVersionView newestPublished(String domain, String product) {
        try {
            return products.newest(domain, product, LifecycleStatus.PUBLISHED)
                    .orElseThrow(() -> new ProcessingException(ProcessingException.Reason.CONFLICT, "not-published",
                            "product " + domain + "/" + product + " has no published version to run"));
        } catch (RegistryException e) {
            throw new ProcessingException(ProcessingException.Reason.NOT_FOUND, e.code(), e.getMessage());
        }
    }

    /** Ends a run that read nothing, for a reason its team can act on: an expected refusal, not an error. */
    private void refuse(String id, String key, String reason) {
        store.finish(id, "FAILED", null, null, null, null, null, false, null, reason, clock.instant());
        log.info("Run {} of {} refused: {}", id, key, reason);
    }

    private void execute(String id, ProductVersionView version) {
        String key = productKey(version.domain(), version.product());
        try {
            if (!store.start(id, instance, clock.instant())) {
                return;
            }
            Optional<String> refused = inputAccess.refusal(version, id);
            if (refused.isPresent()) {
                refuse(id, key, "input access refused: " + refused.get());
                return;
            }
            RunControl control = new RunControl() {
                @Override
                public void phase(String phase, double progress) {
                    store.phase(id, phase, progress, clock.instant());
                }

                @Override
                public boolean cancelled() {
                    return store.find(id).map(RunStore.Row::cancelRequested).orElse(true);
                }
            };
            TransformationOutcome outcome = transformations.run(version, id, control);
            if (control.cancelled()) {
                store.finish(id, "CANCELLED", outcome.rowsRead(), outcome.bytesRead(), outcome.rowsWritten(),
                        outcome.bytesWritten(), outcome.snapshotId(), false, outcome.rules(), "cancelled", clock.instant());
                log.info("Run {} of {} cancelled", id, key);
            } else if (outcome.published()) {
                store.finish(id, "SUCCEEDED", outcome.rowsRead(), outcome.bytesRead(), outcome.rowsWritten(),
                        outcome.bytesWritten(), outcome.snapshotId(), true, outcome.rules(), null, clock.instant());
            } else {
                String blocked = outcome.rules().stream().filter(r -> r.blocking() && !r.passed())
                        .map(r -> r.rule() + " (" + r.message() + ")").reduce((a, b) -> a + "; " + b)
                        .orElse("nothing was written");
                store.finish(id, "FAILED", outcome.rowsRead(), outcome.bytesRead(), outcome.rowsWritten(),
                        outcome.bytesWritten(), outcome.snapshotId(), false, outcome.rules(), "not published: quality rules failed: " + blocked,
                        clock.instant());
            }
        } catch (SqlRefusedException e) {
            refuse(id, key, e.getMessage());
        } catch (Exception e) {
            // Spark's exceptions may be checked ones Scala throws undeclared: every failure ends the record.
            boolean cancelled = store.find(id).map(RunStore.Row::cancelRequested).orElse(false);
            // The branch goes first: once the record says the run ended, nothing of it is left in the table.
            transformations.dropBranch(version.domain(), version.product(), version.major(), id);
            store.finish(id, cancelled ? "CANCELLED" : "FAILED", null, null, null, null, null, false, null,
                    cancelled ? "cancelled" : e.getClass().getSimpleName() + ": " + e.getMessage(), clock.instant());
            if (cancelled) {
                log.info("Run {} of {} cancelled", id, key);
            } else {
                log.warn("Run {} of {} failed: {}", id, key, e.toString());
            }
        } finally {
            store.unlock(key, id);
            local.remove(id);
        }
    }

    @Override
    public RunView get(String domain, String product, String runId) {
        return store.find(runId).filter(r -> r.view().domain().equals(domain) && r.view().product().equals(product))
                .map(RunStore.Row::view)
                .orElseThrow(() -> new ProcessingException(ProcessingException.Reason.NOT_FOUND, "run-not-found",
                        "run " + runId + " of " + domain + "/" + product + " does not exist"));
    }

    @Override
    public PageResult<RunView> history(String domain, String product, int page, int size) {
        return new PageResult<>(store.page(domain, product, page, size).stream().map(RunStore.Row::view).toList(),
                page, size, store.count(domain, product));
    }

    @Override
    public RunView cancel(String domain, String product, String runId) {
        RunView run = get(domain, product, runId);
        if (run.isFinished()) {
            return run;
        }
        store.requestCancel(runId);
        if ("QUEUED".equals(run.state())) {
            store.finish(runId, "CANCELLED", null, null, null, null, null, false, null, "cancelled before it started",
                    clock.instant());
            store.unlock(productKey(domain, product), runId);
        } else if (local.contains(runId)) {
            spark.get().sparkContext().cancelJobGroup(runId);
        }
        log.info("Run {} of {}/{} asked to cancel", runId, domain, product);
        return get(domain, product, runId);
    }

    /** Heartbeats this instance's runs; fails runs whose instance went silent and frees their product. */
    void tick() {
        Instant now = clock.instant();
        local.forEach(id -> store.heartbeat(id, now));
        for (RunStore.Row stale : store.stale(now.minus(properties.staleRunAfter()))) {
            RunView run = stale.view();
            if (local.contains(run.id())) {
                continue;
            }
            try {
                transformations.dropBranch(run.domain(), run.product(), run.major(), run.id());
            } catch (RuntimeException e) {
                log.warn("Could not remove the staging branch of interrupted run {}: {}", run.id(), e.toString());
                continue;
            }
            if (store.finish(run.id(), "FAILED", null, null, null, null, null, false, null,
                    "interrupted: the instance running it (" + stale.owner() + ") stopped", now)) {
                store.unlock(productKey(run.domain(), run.product()), run.id());
                log.warn("Run {} of {}/{} marked FAILED: its instance {} stopped", run.id(), run.domain(),
                        run.product(), stale.owner());
            }
        }
    }

    @Override
    public void start() {
        workers = Executors.newFixedThreadPool(Math.max(1, properties.maxConcurrentRuns()),
                DaemonThreads.named("processing-run"));
        Duration period = Duration.ofMillis(Math.max(1_000, properties.staleRunAfter().toMillis() / 3));
        ticker = DaemonThreads.every("processing-runs-ticker", Duration.ZERO, period, this::tick, log,
                "Run bookkeeping");
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        ticker.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
