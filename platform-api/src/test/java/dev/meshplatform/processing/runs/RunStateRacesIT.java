package dev.meshplatform.processing.runs;

import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.processing.api.RunState;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run's state machine on the real database: each transition is one conditional update, so a cancel and the
 * step it races (the start of a queued run, the decision to publish) never both win, in either order and when they
 * truly run at once.
 */
class RunStateRacesIT extends PlatformIT {

    @Autowired
    JdbcTemplate jdbc;

    private RunStore store;

    private String queued() {
        store = store == null ? new RunStore(jdbc) : store;
        String id = UUID.randomUUID().toString();
        store.insert(id, "races", "product", 1, "1.0.0", "API", "test", "test-instance", Instant.now());
        return id;
    }

    private RunState state(String id) {
        return store.find(id).orElseThrow().view().state();
    }

    @Test
    void aCancelBeforeThePublishDecisionWinsAndTheRunPublishesNothing() {
        String id = queued();
        assertThat(store.start(id, "test-instance", Instant.now())).isTrue();
        assertThat(store.requestCancel(id)).isTrue();
        assertThat(store.beginPublish(id, Instant.now())).as("publishing after a cancel").isFalse();
        assertThat(store.finish(id, RunState.CANCELLED, null, null, null, null, null, false, null, "cancelled",
                Instant.now())).isTrue();
        assertThat(store.finish(id, RunState.SUCCEEDED, null, null, null, null, 1L, true, null, null, Instant.now()))
                .as("a cancelled run cannot end SUCCEEDED").isFalse();
        assertThat(state(id)).isEqualTo(RunState.CANCELLED);
    }

    @Test
    void aCancelAfterThePublishDecisionIsRefusedAndTheRunEndsSucceeded() {
        String id = queued();
        assertThat(store.start(id, "test-instance", Instant.now())).isTrue();
        assertThat(store.beginPublish(id, Instant.now())).isTrue();
        assertThat(store.requestCancel(id)).as("cancelling a run that is publishing").isFalse();
        assertThat(store.finish(id, RunState.SUCCEEDED, 1L, 1L, 1L, 1L, 1L, true, null, null, Instant.now())).isTrue();
        assertThat(store.find(id).orElseThrow().view().published()).isTrue();
        assertThat(store.find(id).orElseThrow().cancelRequested()).isFalse();
    }

    @Test
    void aCancelRacingTheStartOfAQueuedRunEitherEndsItQueuedOrAsksTheStartedRunToStop() {
        String startedFirst = queued();
        assertThat(store.start(startedFirst, "test-instance", Instant.now())).isTrue();
        // The queued-cancel no longer applies (the slot must stay taken while Spark goes on): the run is asked.
        assertThat(store.cancelQueued(startedFirst, Instant.now())).isFalse();
        assertThat(state(startedFirst)).isEqualTo(RunState.RUNNING);
        assertThat(store.requestCancel(startedFirst)).isTrue();

        String cancelledFirst = queued();
        assertThat(store.cancelQueued(cancelledFirst, Instant.now())).isTrue();
        assertThat(store.start(cancelledFirst, "test-instance", Instant.now())).as("starting a cancelled run")
                .isFalse();
        assertThat(state(cancelledFirst)).isEqualTo(RunState.CANCELLED);
    }

    @Test
    void atTheSameMomentExactlyOneSideWins() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        int cancelWon = 0;
        int publishWon = 0;
        int cancelledQueued = 0;
        int started = 0;
        try {
            for (int round = 0; round < 100; round++) {
                String publishing = queued();
                store.start(publishing, "test-instance", Instant.now());
                boolean[] publishRace = race(threads, () -> store.requestCancel(publishing),
                        () -> store.beginPublish(publishing, Instant.now()));
                assertThat(publishRace[0] ^ publishRace[1]).as("cancel %s, publish %s", publishRace[0], publishRace[1])
                        .isTrue();
                cancelWon += publishRace[0] ? 1 : 0;
                publishWon += publishRace[1] ? 1 : 0;

                String starting = queued();
                boolean[] startRace = race(threads, () -> store.cancelQueued(starting, Instant.now()),
                        () -> store.start(starting, "test-instance", Instant.now()));
                assertThat(startRace[0] ^ startRace[1]).isTrue();
                assertThat(state(starting)).isEqualTo(startRace[0] ? RunState.CANCELLED : RunState.RUNNING);
                cancelledQueued += startRace[0] ? 1 : 0;
                started += startRace[1] ? 1 : 0;
            }
        } finally {
            threads.shutdownNow();
        }
        System.out.printf("races: cancel won %d, publish won %d; cancel of queued won %d, start won %d%n",
                cancelWon, publishWon, cancelledQueued, started);
        assertThat(cancelWon + publishWon).isEqualTo(100);
        assertThat(cancelledQueued + started).isEqualTo(100);
    }

    private static boolean[] race(ExecutorService threads, BooleanSupplier first, BooleanSupplier second)
            throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        CompletableFuture<Boolean> a = CompletableFuture.supplyAsync(() -> await(together, first), threads);
        CompletableFuture<Boolean> b = CompletableFuture.supplyAsync(() -> await(together, second), threads);
        return new boolean[]{a.get(), b.get()};
    }

    private static boolean await(CyclicBarrier together, BooleanSupplier action) {
        try {
            together.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return action.getAsBoolean();
    }
}
