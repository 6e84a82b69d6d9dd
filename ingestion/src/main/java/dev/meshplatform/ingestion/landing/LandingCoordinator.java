package dev.meshplatform.ingestion.landing;

import dev.meshplatform.ingestion.api.IngestionException;
import dev.meshplatform.ingestion.api.IngestionProperties;
import dev.meshplatform.ingestion.api.KafkaConnection;
import dev.meshplatform.ingestion.api.LandingJobs;
import dev.meshplatform.ingestion.api.LandingStatus;
import dev.meshplatform.ingestion.api.RawTables;
import dev.meshplatform.registry.api.BackgroundLoops;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;

/**
 * Runs this instance's share of the landing jobs. Every tick it renews the leases it holds, stops jobs nobody
 * wants any more, and takes the lease of every wanted job that no live instance holds; so instances split the
 * products between them and take over from one that dies once its lease expires.
 */
final class LandingCoordinator implements LandingJobs, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LandingCoordinator.class);

    private final LandingJob.Dependencies deps;
    private final String instance;
    private final Duration tick;
    private final Map<String, LandingJob> local = new ConcurrentHashMap<>();
    private final List<Runnable> housekeeping = new CopyOnWriteArrayList<>();
    private Instant nextHousekeeping = Instant.EPOCH;
    private final TaskScheduler scheduler;
    private volatile ScheduledFuture<?> ticker;
    private volatile boolean running;

    public LandingCoordinator(Catalog catalog, KafkaConnection kafka, Producer<byte[], byte[]> deadLetters,
                              LandingJobStore store, ProductContracts contracts, IngestionProperties properties,
                              Clock clock, MeterRegistry meters, TaskScheduler scheduler,
                              java.util.function.Consumer<dev.meshplatform.ingestion.api.DeadLettersLanded> deadLettersLanded) {
        this(new LandingJob.Dependencies(catalog, kafka, deadLetters, store, contracts, properties, clock, meters,
                deadLettersLanded), scheduler);
    }

    LandingCoordinator(LandingJob.Dependencies deps, TaskScheduler scheduler) {
        this.deps = deps;
        this.scheduler = scheduler;
        this.instance = ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString()
                .substring(0, 8);
        Duration third = deps.properties().leaseDuration().dividedBy(3);
        this.tick = third.compareTo(Duration.ofSeconds(2)) < 0 ? third : Duration.ofSeconds(2);
    }

    @Override
    public void start() {
        running = true;
        ticker = BackgroundLoops.every(scheduler, Duration.ZERO, tick, this::tick, log, "Landing coordinator tick");
        log.info("Landing coordinator {} started (lease {}, tick {})", instance, deps.properties().leaseDuration(),
                tick);
    }

    @Override
    public void stop() {
        synchronized (this) {
            // A tick in progress ends first; no tick starts a job after this.
            running = false;
        }
        if (ticker != null) {
            ticker.cancel(false);
        }
        local.values().forEach(LandingJob::requestStop);
        for (LandingJob job : local.values()) {
            try {
                if (!job.awaitFinished(Duration.ofSeconds(30))) {
                    log.warn("Landing job {} did not stop within 30 s", job.key());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        local.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the web server and stops after it, so that no request finds the coordinator stopped. */
    @Override
    public int getPhase() {
        return dev.meshplatform.registry.api.LifecyclePhases.SERVICES;
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("Landing coordinator tick failed: {}", e.toString());
        }
    }

    synchronized void tick() {
        if (!running) {
            return;
        }
        Instant now = deps.clock().instant();
        Duration lease = deps.properties().leaseDuration();
        if (now.isAfter(nextHousekeeping)) {
            nextHousekeeping = now.plus(deps.properties().maintenanceInterval());
            housekeeping.forEach(Runnable::run);
        }
        local.values().removeIf(LandingJob::isFinished);
        for (LandingJob job : local.values()) {
            if (!deps.store().renew(job.key(), instance, job.epoch(), now, lease)) {
                log.warn("Landing job {} lost its lease at epoch {}; stopping it", job.key(), job.epoch());
                job.loseLease();
            }
        }
        List<LandingJobStore.Row> wanted = deps.store().wanted();
        Set<String> wantedKeys = new HashSet<>();
        wanted.forEach(r -> wantedKeys.add(r.key()));
        for (LandingJob job : local.values()) {
            if (!wantedKeys.contains(job.key())) {
                job.requestStop();
            }
        }
        for (LandingJobStore.Row row : wanted) {
            if (local.containsKey(row.key())) {
                continue;
            }
            boolean free = row.owner() == null || row.leaseExpiresAt() == null || row.leaseExpiresAt().isBefore(now);
            if (!free) {
                continue;
            }
            OptionalLong epoch = deps.store().tryAcquire(row.key(), instance, now, lease);
            if (epoch.isPresent()) {
                LandingJob job = new LandingJob(row.domain(), row.product(), row.major(), instance, epoch.getAsLong(),
                        deps);
                local.put(row.key(), job);
                Thread thread = new Thread(job, "landing-" + row.key());
                thread.setDaemon(true);
                thread.start();
            }
        }
    }

    /**
     * Ticks now rather than at the next period. The wish is in the database already: before the coordinator starts
     * or after it stopped, the next instance's tick acts on it.
     */
    private void tickSoon() {
        if (ticker == null || !running) {
            return;
        }
        try {
            // tick() is synchronized: this one and the loop's never overlap.
            scheduler.schedule(this::tickSafely, Instant.now());
        } catch (org.springframework.core.task.TaskRejectedException stopping) {
            // Stopping: the wish stays stored.
        }
    }

    /** Work every instance does now and then (idempotent, harmless if several do it), on the coordinator's thread. */
    public void addHousekeeping(Runnable task) {
        housekeeping.add(task);
    }

    @Override
    public LandingStatus start(String domain, String product, int major) {
        deps.contracts().requireKafkaVersion(domain, product, major);
        String key = RawTables.jobKey(domain, product, major);
        deps.store().setDesired(key, domain, product, major, "RUNNING", deps.clock().instant());
        log.info("Landing job {} asked to run", key);
        tickSoon();
        return status(domain, product, major).orElseThrow();
    }

    @Override
    public LandingStatus stop(String domain, String product, int major) {
        String key = RawTables.jobKey(domain, product, major);
        if (deps.store().find(key).isEmpty()) {
            throw new IngestionException(IngestionException.Reason.NOT_FOUND, "landing-job-not-found",
                    "product " + domain + "/" + product + " v" + major + " has no landing job");
        }
        deps.store().setDesired(key, domain, product, major, "STOPPED", deps.clock().instant());
        log.info("Landing job {} asked to stop", key);
        tickSoon();
        return status(domain, product, major).orElseThrow();
    }

    @Override
    public Optional<LandingStatus> status(String domain, String product, int major) {
        Instant now = deps.clock().instant();
        return deps.store().find(RawTables.jobKey(domain, product, major)).map(r -> r.status(now));
    }

    @Override
    public List<LandingStatus> statuses(String domain, String product) {
        Instant now = deps.clock().instant();
        return deps.store().forProduct(domain, product).stream().map(r -> r.status(now)).toList();
    }
}
