package dev.meshplatform.ingestion.landing;

import dev.meshplatform.registry.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay ledger on the ingestion module's own migrations, on H2 and on the PostgreSQL server named by
 * {@code MESH_TEST_POSTGRES_URL} (H2 twice without it): one claim per event however many replays race for it.
 */
class ReplayLedgerIT {

    private static final List<TestDatabase> DATABASES = new ArrayList<>();

    static Stream<TestDatabase> databases() {
        if (DATABASES.isEmpty()) {
            DATABASES.add(TestDatabase.h2());
            DATABASES.add(TestDatabase.postgresOrH2());
        }
        return DATABASES.stream();
    }

    @AfterAll
    static void drop() {
        DATABASES.forEach(TestDatabase::close);
    }

    private static ReplayLedger ledger(TestDatabase database) {
        Flyway.configure().dataSource(database.url(), database.user(), database.password())
                .locations("classpath:db/migration/ingestion").load().migrate();
        return new ReplayLedger(new JdbcTemplate(new DriverManagerDataSource(database.url(), database.user(),
                database.password())));
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false) // one database for both tests, dropped after all
    @MethodSource("databases")
    void anEventIsClaimedOnceThenReplayedOrReleased(TestDatabase database) {
        ReplayLedger ledger = ledger(database);
        String job = "ledger-" + System.nanoTime() + "/people/v1";
        ReplayLedger.Source first = new ReplayLedger.Source(2, 1288);
        ReplayLedger.Source second = new ReplayLedger.Source(2, 1289);
        Instant t0 = Instant.parse("2026-11-24T10:00:00Z");

        assertThat(ledger.claim(job, first, 0, 17, "k3x9m2p7q4tz", t0)).isTrue();
        // Another dead letter of the same event (sent twice by a landing job that crashed) finds the claim.
        assertThat(ledger.claim(job, first, 1, 4, "other", t0)).isFalse();
        assertThat(ledger.find(job, first)).hasValueSatisfying(e -> {
            assertThat(e.state()).isEqualTo(ReplayLedger.CLAIMED);
            assertThat(e.deadLetterPartition()).isEqualTo(0);
            assertThat(e.deadLetterOffset()).isEqualTo(17);
            assertThat(e.claimedAt()).isEqualTo(t0);
            assertThat(e.replayedAt()).isNull();
        });

        ledger.replayed(job, first, 1, 40_000_000_000L, t0.plusSeconds(1));
        ledger.release(job, first); // too late: a replayed event stays replayed
        assertThat(ledger.find(job, first)).hasValueSatisfying(e -> {
            assertThat(e.replayed()).isTrue();
            assertThat(e.replayedAt()).isEqualTo(t0.plusSeconds(1));
            assertThat(e.topicPartition()).isEqualTo(1);
            assertThat(e.topicOffset()).isEqualTo(40_000_000_000L);
            assertThat(e.by()).isEqualTo("k3x9m2p7q4tz");
        });

        assertThat(ledger.claim(job, second, 0, 18, "k3x9m2p7q4tz", t0)).isTrue();
        ledger.release(job, second);
        assertThat(ledger.find(job, second)).isEmpty();
        assertThat(ledger.claim(job, second, 0, 18, "k3x9m2p7q4tz", t0)).isTrue();

        List<ReplayLedger.Source> many = new ArrayList<>();
        for (long offset = 0; offset < 1_200; offset++) {
            many.add(new ReplayLedger.Source(2, 1_000 + offset));
        }
        Map<ReplayLedger.Source, ReplayLedger.Entry> found = ledger.find(job, many);
        assertThat(found.keySet()).containsExactlyInAnyOrder(first, second);

        assertThat(ledger.forget(job)).isEqualTo(2);
        assertThat(ledger.find(job, List.of(first, second))).isEmpty();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false) // one database for both tests, dropped after all
    @MethodSource("databases")
    void ofConcurrentReplaysOfOneEventOnlyOneClaimsIt(TestDatabase database) throws Exception {
        ReplayLedger ledger = ledger(database);
        int replays = 8;
        ExecutorService threads = Executors.newFixedThreadPool(replays);
        try {
            for (int round = 0; round < 20; round++) {
                String job = "race-" + System.nanoTime() + "/people/v1";
                ReplayLedger.Source source = new ReplayLedger.Source(0, round);
                CyclicBarrier start = new CyclicBarrier(replays);
                List<Callable<Boolean>> claims = new ArrayList<>();
                for (int i = 0; i < replays; i++) {
                    String by = "replay-" + i;
                    claims.add(() -> {
                        start.await();
                        return ledger.claim(job, source, 0, 7, by, Instant.now());
                    });
                }
                int won = 0;
                for (Future<Boolean> claim : threads.invokeAll(claims)) {
                    won += claim.get() ? 1 : 0;
                }
                assertThat(won).as("claims won in round %d", round).isEqualTo(1);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
