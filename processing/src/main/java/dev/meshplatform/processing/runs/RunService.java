package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.ProcessingException;
import dev.meshplatform.processing.api.ProcessingProperties;
import dev.meshplatform.processing.api.RuleResult;
import dev.meshplatform.processing.api.RunControl;
import dev.meshplatform.processing.api.RunFinished;
import dev.meshplatform.processing.api.RunRefusedException;
import dev.meshplatform.processing.api.RunState;
import dev.meshplatform.processing.api.RunView;
import dev.meshplatform.processing.api.Runs;
import dev.meshplatform.processing.api.TransformationOutcome;
import dev.meshplatform.registry.api.BackgroundLoops;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.PageResult;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.RegistryException;
import dev.meshplatform.registry.api.SemanticVersion;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Queues and runs transformations, one at a time per product, and keeps each run's record true: a run ends
 * SUCCEEDED (published), FAILED (with the error, or the quality rules that blocked it) or CANCELLED; a run whose
 * instance stopped is marked FAILED by any instance once it has been silent for {@code stale-run-after}. Runs start in
 * queue order as slots free up, within the instance's limit and each domain's limits (runs and task slots), so that
 * one domain's stuck runs cannot starve the others.
 */
final class RunService implements Runs, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RunService.class);

    private final WriteAuditPublish transformations;
    private final ProductCatalog products;
    private final RunStore store;
    private final ProcessingProperties properties;
    private final Clock clock;
    private final TaskScheduler scheduler;
    private final MeterRegistry meters;
    private final RunSloSignals sloSignals;
    private final String instance;
    private final Set<String> local = ConcurrentHashMap.newKeySet();
    private final Map<String, Runnable> cancellers = new ConcurrentHashMap<>();
    /** Runs queued on this instance, waiting for a slot, in the order they were triggered. */
    private final Deque<Queued> queue = new ArrayDeque<>();
    /** Per domain: runs going on and task slots they hold on this instance. */
    private final Map<String, int[]> domainUse = new HashMap<>();
    private int runningHere;
    private ExecutorService workers;
    private ScheduledFuture<?> ticker;
    private volatile boolean running;

    private record Queued(String id, ProductVersionView version) {
    }

    private final org.springframework.transaction.support.TransactionTemplate transactions;
    private final org.springframework.context.ApplicationEventPublisher events;

    public RunService(WriteAuditPublish transformations, ProductCatalog products, JdbcTemplate jdbc,
                      ProcessingProperties properties, TaskScheduler scheduler, Clock clock, MeterRegistry meters,
                      org.springframework.transaction.support.TransactionTemplate transactions,
                      org.springframework.context.ApplicationEventPublisher events, RunSloSignals sloSignals) {
        this.transactions = transactions;
        this.events = events;
        this.sloSignals = sloSignals;
        this.meters = meters;
        this.scheduler = scheduler;
        this.transformations = transformations;
        this.products = products;
        this.store = new RunStore(jdbc);
        this.properties = properties;
        this.clock = clock;
        this.instance = ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString()
                .substring(0, 8);
    }

    /** The run slot's key: one run at a time per product major. */
    static String productKey(String domain, String product, int major) {
        return new ProductMajor(domain, product, major).key();
    }

    @Override
    public RunView trigger(String domain, String product, Integer major, String trigger, String requestedBy) {
        ProductVersionView version = newestPublished(domain, product, major);
        if (version.descriptor().transformation() == null) {
            throw new ProcessingException(ProcessingException.Reason.CONFLICT, "no-transformation", "product "
                    + domain + "/" + product + " " + version.version() + " declares no transformation");
        }
        String id = UUID.randomUUID().toString();
        String key = productKey(domain, product, version.major());
        if (!store.lock(key, id)) {
            String active = store.activeRun(key).orElse("?");
            throw new ProcessingException(ProcessingException.Reason.CONFLICT, "run-in-progress", "product "
                    + domain + "/" + product + " v" + version.major() + " has a run queued or running (" + active
                    + "); one at a time per major");
        }
        store.insert(id, domain, product, version.major(), version.version(), trigger, requestedBy, instance,
                clock.instant());
        local.add(id);
        log.info("Run {} of {}/{} {} queued ({})", id, domain, product, version.version(), trigger);
        synchronized (this) {
            queue.addLast(new Queued(id, version));
        }
        dispatch();
        return store.find(id).orElseThrow().view();
    }

    private ProductVersionView newestPublished(String domain, String product, Integer major) {
        try {
            if (major == null) {
                return products.newest(domain, product, LifecycleStatus.PUBLISHED)
                        .orElseThrow(() -> new ProcessingException(ProcessingException.Reason.CONFLICT,
                                "not-published", "product " + domain + "/" + product
                                + " has no published version to run"));
            }
            return products.newest(domain, product, major, LifecycleStatus.PUBLISHED)
                    .orElseThrow(() -> new ProcessingException(ProcessingException.Reason.CONFLICT, "not-published",
                            "product " + domain + "/" + product + " has no published version of major " + major
                                    + " to run"));
        } catch (RegistryException e) {
            throw new ProcessingException(ProcessingException.Reason.NOT_FOUND, e.code(), e.getMessage());
        }
    }

    /** A PUBLISHED version of the same major newer than {@code version}, if one was published since. */
    private Optional<String> newerPublished(ProductVersionView version) {
        SemanticVersion running = SemanticVersion.parse(version.version());
        return products.newest(version.domain(), version.product(), version.major(), LifecycleStatus.PUBLISHED)
                .map(ProductVersionView::version)
                .filter(newest -> SemanticVersion.parse(newest).compareTo(running) > 0);
    }

    /** Starts every queued run that fits the instance's and its domain's limits, in queue order. */
    private synchronized void dispatch() {
        if (workers == null) {
            return;
        }
        Iterator<Queued> waiting = queue.iterator();
        while (waiting.hasNext() && runningHere < properties.maxConcurrentRuns()) {
            Queued next = waiting.next();
            int[] use = domainUse.computeIfAbsent(next.version().domain(), d -> new int[2]);
            int slots = taskSlotsPerRun();
            if (use[0] >= properties.maxConcurrentRunsPerDomain() || use[1] + slots > properties.taskSlotsPerDomain()) {
                continue;
            }
            waiting.remove();
            use[0]++;
            use[1] += slots;
            runningHere++;
            workers.execute(() -> {
                try {
                    execute(next.id(), next.version());
                } finally {
                    release(next.version().domain(), slots);
                }
            });
        }
    }

    private int taskSlotsPerRun() {
        return Math.max(1, Math.min(properties.taskSlotsPerRun(), properties.taskSlotsPerDomain()));
    }

    private void release(String domain, int slots) {
        synchronized (this) {
            int[] use = domainUse.get(domain);
            use[0]--;
            use[1] -= slots;
            runningHere--;
        }
        dispatch();
    }

    /**
     * Ends the run's record and publishes {@link RunFinished} in the same transaction, so that listeners
     * (notifications) write theirs with the record; a run another instance or a cancel ended first publishes nothing.
     */
    private boolean finish(String id, RunState state, Long rowsRead, Long bytesRead, Long rowsWritten,
                           Long bytesWritten, Long snapshotId, Boolean published, java.util.List<RuleResult> rules,
                           String error, Instant now) {
        return Boolean.TRUE.equals(transactions.execute(tx -> {
            boolean ended = store.finish(id, state, rowsRead, bytesRead, rowsWritten, bytesWritten, snapshotId,
                    published, rules, error, now);
            if (ended) {
                store.find(id).map(RunStore.Row::view).ifPresent(run -> events.publishEvent(new RunFinished(run)));
            }
            return ended;
        }));
    }

    /** Ends a run that read nothing, for a reason its team can act on: an expected refusal, not an error. */
    private void refuse(String id, String key, String reason) {
        finish(id, RunState.FAILED, null, null, null, null, null, false, null, reason, clock.instant());
        log.info("Run {} of {} refused: {}", id, key, reason);
    }

    private void execute(String id, ProductVersionView version) {
        String key = productKey(version.domain(), version.product(), version.major());
        boolean started = false;
        try {
            if (!store.start(id, instance, clock.instant())) {
                return;
            }
            started = true;
            if (sloSignals != null) {
                sloSignals.recordStart(id, version, clock.instant());
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

                @Override
                public void onCancel(Runnable stop) {
                    cancellers.put(id, stop);
                    if (cancelled()) {
                        // A cancel that came before the JVM existed stops it now.
                        stop.run();
                    }
                }

                @Override
                public boolean beginPublish() {
                    // A run of a version superseded while it ran publishes nothing: readers of the major get the
                    // newer version's contract, and its next run writes that.
                    Optional<String> newer = newerPublished(version);
                    if (newer.isPresent()) {
                        throw new RunRefusedException("superseded by " + newer.get() + " while it ran: nothing "
                                + "published (the next run runs " + newer.get() + ")");
                    }
                    return store.beginPublish(id, clock.instant());
                }
            };
            TransformationOutcome outcome = transformations.run(version, id, control);
            if (outcome.published()) {
                finish(id, RunState.SUCCEEDED, outcome.rowsRead(), outcome.bytesRead(), outcome.rowsWritten(),
                        outcome.bytesWritten(), outcome.snapshotId(), true, outcome.rules(), null, clock.instant());
            } else {
                String blocked = outcome.rules().stream().filter(r -> r.blocking() && !r.passed())
                        .map(r -> r.rule() + " (" + r.message() + ")").reduce((a, b) -> a + "; " + b)
                        .orElse("nothing was written");
                finish(id, RunState.FAILED, outcome.rowsRead(), outcome.bytesRead(), outcome.rowsWritten(),
                        outcome.bytesWritten(), outcome.snapshotId(), false, outcome.rules(),
                        "not published: quality rules failed: " + blocked, clock.instant());
            }
        } catch (RunRefusedException e) {
            refuse(id, key, e.getMessage());
        } catch (WriteAuditPublish.RunEndedException e) {
            if (!running) {
                // The platform is stopping: its runs' JVMs were stopped with it, which is no cancel.
                finish(id, RunState.FAILED, null, null, null, null, null, false, null,
                        "interrupted: the instance running it (" + instance + ") stopped", clock.instant());
                return;
            }
            finish(id, e.cancelled() ? RunState.CANCELLED : RunState.FAILED, null, null, null, null, null, false, null,
                    e.getMessage(), clock.instant());
            if (e.cancelled()) {
                log.info("Run {} of {} cancelled", id, key);
            } else {
                log.warn("Run {} of {} failed: {}", id, key, e.getMessage());
            }
        } catch (Exception e) {
            // Every failure ends the record; the branch goes first so that an ended run leaves nothing behind.
            transformations.dropBranch(version.domain(), version.product(), version.major(), id);
            finish(id, RunState.FAILED, null, null, null, null, null, false, null,
                    e.getClass().getSimpleName() + ": " + e.getMessage(), clock.instant());
            log.warn("Run {} of {} failed: {}", id, key, e.toString());
        } finally {
            cancellers.remove(id);
            store.unlock(key, id);
            local.remove(id);
            if (started) {
                store.find(id).map(RunStore.Row::view).filter(RunView::isFinished).ifPresent(this::count);
            }
        }
    }

    /** Runs by outcome, their duration and the rows they wrote, per product, for the operators' dashboards. */
    private void count(RunView run) {
        Tags tags = Tags.of("domain", run.domain(), "product", run.product(), "state", run.state().name());
        Counter.builder("mesh.runs").description("runs that ended, by final state").tags(tags).register(meters)
                .increment();
        if (run.durationMillis() != null) {
            Timer.builder("mesh.run.duration").description("how long runs took, from start to end, by final state")
                    .tags(tags).register(meters).record(Duration.ofMillis(run.durationMillis()));
        }
        if (run.rowsWritten() != null) {
            Counter.builder("mesh.run.rows.written").description("rows runs wrote to their output table")
                    .tags(tags).register(meters).increment(run.rowsWritten());
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
        if (store.cancelQueued(runId, clock.instant())) {
            synchronized (this) {
                queue.removeIf(q -> q.id().equals(runId));
            }
            store.unlock(productKey(domain, product, run.major()), runId);
            local.remove(runId);
            log.info("Run {} of {}/{} cancelled before it started", runId, domain, product);
            RunView cancelled = get(domain, product, runId);
            count(cancelled);
            return cancelled;
        }
        if (store.requestCancel(runId)) {
            Runnable stop = cancellers.get(runId);
            if (stop != null) {
                stop.run();
            }
            log.info("Run {} of {}/{} asked to cancel", runId, domain, product);
        }
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
            if (finish(run.id(), RunState.FAILED, null, null, null, null, null, false, null,
                    "interrupted: the instance running it (" + stale.owner() + ") stopped", now)) {
                store.unlock(productKey(run.domain(), run.product(), run.major()), run.id());
                log.warn("Run {} of {}/{} marked FAILED: its instance {} stopped", run.id(), run.domain(),
                        run.product(), stale.owner());
            }
        }
        // Slots are stamped with the system time (not the service's clock), so they are aged by it too.
        int freed = store.freeAbandonedMaintenanceSlots(Instant.now().minus(ABANDONED_MAINTENANCE_SLOT));
        if (freed > 0) {
            log.warn("Freed {} product slot(s) that maintenance took over {} ago and never gave back", freed,
                    ABANDONED_MAINTENANCE_SLOT);
        }
    }

    /** Past this age, a slot that maintenance holds is taken for one whose instance died while holding it. */
    static final java.time.Duration ABANDONED_MAINTENANCE_SLOT = java.time.Duration.ofHours(1);

    @Override
    public void start() {
        synchronized (this) {
            workers = Executors.newCachedThreadPool(DaemonThreads.named("processing-run"));
        }
        Duration period = Duration.ofMillis(Math.max(1_000, properties.staleRunAfter().toMillis() / 3));
        ticker = BackgroundLoops.every(scheduler, Duration.ZERO, period, this::tick, log, "Run bookkeeping");
        running = true;
        dispatch();
    }

    @Override
    public void stop() {
        running = false;
        ticker.cancel(true);
        // Runs going on end with the platform: their JVMs are stopped, and another instance marks them interrupted.
        cancellers.values().forEach(Runnable::run);
        ExecutorService stopping;
        synchronized (this) {
            stopping = workers;
            workers = null;
        }
        stopping.shutdownNow();
        try {
            stopping.awaitTermination(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transformations.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the web server and stops after it, so that no trigger finds the service stopped. */
    @Override
    public int getPhase() {
        return dev.meshplatform.registry.api.LifecyclePhases.SERVICES;
    }
}
