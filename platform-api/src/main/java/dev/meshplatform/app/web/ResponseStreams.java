package dev.meshplatform.app.web;

import dev.meshplatform.app.config.MeshSecurityProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The threads that write streamed response bodies (Spring MVC's async executor), a pool of their own with a slot per
 * thread. A body writes into its socket and blocks while the client does not read, so each stream holds its thread
 * until the client reads, goes away or stalls past the container's write timeout; a stream that finds every slot
 * taken is refused at once ({@link Exhausted}, 503) instead of waiting behind the blocked ones.
 */
@Component
public final class ResponseStreams implements WebMvcConfigurer, DisposableBean {

    /** How long a refused client is told to wait: streams end as their clients read or are cut. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final int max;
    private final Semaphore slots;
    private final ThreadPoolTaskExecutor threads = new ThreadPoolTaskExecutor();
    private final Counter refused;

    ResponseStreams(MeshSecurityProperties properties, MeterRegistry meters) {
        max = properties.maxStreamedResponses();
        slots = new Semaphore(max);
        threads.setThreadNamePrefix("mesh-stream-");
        threads.setCorePoolSize(max);
        threads.setMaxPoolSize(max);
        threads.setAllowCoreThreadTimeOut(true);
        threads.setKeepAliveSeconds(60);
        // Slots keep at most max bodies submitted at once; the queue only bridges the moment between a body giving
        // its slot back and its thread taking the next body. Without it that moment would be a rejection.
        threads.setQueueCapacity(max);
        threads.initialize();
        Gauge.builder("mesh.http.streams.active", this, ResponseStreams::active)
                .description("response bodies being streamed, each holding a thread").register(meters);
        Gauge.builder("mesh.http.streams.max", this, s -> s.max)
                .description("response bodies that may be streamed at once (mesh.security.max-streamed-responses)")
                .register(meters);
        refused = Counter.builder("mesh.http.streams.refused")
                .description("streamed responses refused with 503 because every stream was taken").register(meters);
    }

    @Override
    public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
        // Runs after Boot's configurer (order 0), which sets the shared applicationTaskExecutor: 8 threads and an
        // unbounded queue, where 8 clients that do not read would hold every other reader's body.
        configurer.setTaskExecutor(threads);
    }

    /**
     * Takes a slot for a body about to be streamed; the caller closes it when the body ends, or when the request
     * fails before the body is handed to Spring MVC.
     *
     * @throws Exhausted when every slot is taken
     */
    public Slot reserve() {
        if (!slots.tryAcquire()) {
            refused.increment();
            throw new Exhausted();
        }
        return new Slot();
    }

    /** Bodies being streamed now (or about to be). */
    public int active() {
        return max - slots.availablePermits();
    }

    @Override
    public void destroy() {
        threads.shutdown();
    }

    /** A slot held by one body; closing it again does nothing. */
    public final class Slot implements AutoCloseable {

        private final AtomicBoolean released = new AtomicBoolean();

        private Slot() {
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                slots.release();
            }
        }
    }

    /** Every slot is taken: the request is answered 503 with Retry-After, nothing read and nothing decided. */
    public static final class Exhausted extends RuntimeException {

        Exhausted() {
            super("the platform is streaming as many responses as it may at once; retry in "
                    + RETRY_AFTER.toSeconds() + " s");
        }
    }
}
