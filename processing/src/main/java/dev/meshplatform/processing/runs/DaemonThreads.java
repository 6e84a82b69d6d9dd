package dev.meshplatform.processing.runs;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** The background threads of runs and maintenance: daemons, so they never hold the JVM up, named for operators. */
final class DaemonThreads {

    private DaemonThreads() {
    }

    static ThreadFactory named(String name) {
        return r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Runs {@code task} every {@code period} on a thread of its own. A round that fails is logged and the next one
     * runs: an executor would otherwise cancel the task at its first exception, silently.
     */
    static ScheduledExecutorService every(String name, Duration initialDelay, Duration period, Runnable task,
                                          Logger log, String what) {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(named(name));
        ticker.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("{} failed; it runs again in {}: {}", what, period, e.toString());
            }
        }, initialDelay.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return ticker;
    }
}
