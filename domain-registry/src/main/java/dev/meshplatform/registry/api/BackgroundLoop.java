package dev.meshplatform.registry.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * A background pass (schedules, compaction, purges) that runs every {@link #period()} on the shared scheduler from
 * the moment the services run until they stop: it starts after them ({@link LifecyclePhases#BACKGROUND}) and stops
 * before them.
 */
public abstract class BackgroundLoop implements SmartLifecycle {

    private final TaskScheduler scheduler;
    private final String what;
    private final Logger log;
    private volatile ScheduledFuture<?> loop;
    private volatile boolean running;

    /** {@code what} names the pass in the log line of a pass that failed. */
    protected BackgroundLoop(TaskScheduler scheduler, String what) {
        this.scheduler = scheduler;
        this.what = what;
        this.log = LoggerFactory.getLogger(getClass());
    }

    /** How long after a pass ends the next one starts; zero or negative turns the loop off. */
    protected abstract Duration period();

    /** When the first pass comes after start; the period unless a loop says otherwise. */
    protected Duration firstPassAfter() {
        return period();
    }

    /** One pass; an exception is logged and the next pass runs as planned. */
    protected abstract void pass();

    @Override
    public void start() {
        running = true;
        Duration period = period();
        if (period.isZero() || period.isNegative()) {
            return;
        }
        loop = BackgroundLoops.every(scheduler, firstPassAfter(), period, this::pass, log, what);
    }

    @Override
    public void stop() {
        running = false;
        ScheduledFuture<?> current = loop;
        if (current != null) {
            current.cancel(true);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return LifecyclePhases.BACKGROUND;
    }
}
