package dev.meshplatform.registry.api;

import org.slf4j.Logger;
import org.springframework.scheduling.TaskScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * Every module's background loops (landing leases, run bookkeeping, schedules, compaction, purges) run on the one
 * shared {@link TaskScheduler} the application has ({@code meshTaskScheduler}), not on threads of their own.
 */
public final class BackgroundLoops {

    /** The shared scheduler's threads: enough that one long pass (a compaction) never holds up lease renewals. */
    public static final int THREADS = 4;

    private BackgroundLoops() {
    }

    /**
     * Runs {@code task} {@code period} after each round ends, the first round {@code initialDelay} from now. A round
     * that fails is logged and the next one runs: a scheduler would otherwise cancel the task at its first exception,
     * silently. Cancel the returned future to stop the loop.
     */
    public static ScheduledFuture<?> every(TaskScheduler scheduler, Duration initialDelay, Duration period,
                                           Runnable task, Logger log, String what) {
        return scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("{} failed; it runs again in {}: {}", what, period, e.toString());
            }
        }, Instant.now().plus(initialDelay), period);
    }
}
