package dev.meshplatform.app.ingestion;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.PlatformProcess;
import dev.meshplatform.app.testsupport.ProcessTestBase;
import dev.meshplatform.ingestion.api.RawTables;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crashes: numbered events flow into Kafka while the platform process landing them is killed with SIGKILL at seeded
 * random moments and started again; afterwards every event is in the raw table exactly once. Kafka, S3 and the
 * database run in the test JVM, outside the process that is killed. Set -Dmesh.crash.seed=N to repeat a run.
 */
class CrashRecoveryIT extends ProcessTestBase {

    @Test
    void killedAtRandomMomentsEveryEventLandsExactlyOnce() throws Exception {
        long seed = Long.getLong("mesh.crash.seed", System.nanoTime());
        System.out.println("CrashRecoveryIT seed: " + seed + " (repeat with -Dmesh.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        Path data = parts.dir().resolve("crash-platform");
        String domain = "crash-" + UUID.randomUUID().toString().substring(0, 6);
        PlatformProcess platform = new PlatformProcess("crash", data, arguments(data)).start();
        try {
            publish(platform.api(), domain, "numbers", 3);
            // Kafka, S3 and the catalog are configured: nothing embedded starts.
            assertThat(platform.log()).doesNotContain("Embedded Kafka broker started")
                    .doesNotContain("Embedded S3 server started").doesNotContain("catalog ready on jdbc:h2:file");
            long total;
            try (NumberedEvents events = new NumberedEvents(RawTables.topic(domain, "numbers", 1), 3_000)) {
                for (int kill = 1; kill <= 5; kill++) {
                    // A seeded random moment, counted in events sent (1 to 5 s at 3,000 events/s).
                    long more = 3_000 + random.nextInt(12_000);
                    awaitMoreSent(events, more);
                    platform.kill();
                    System.out.printf("CrashRecoveryIT: kill %d after %d more events, %d events sent%n", kill, more,
                            events.sent.get());
                    platform = new PlatformProcess("crash", data, arguments(data)).start();
                }
                awaitMoreSent(events, 4_000);
                events.close();
                total = events.sent.get();
            }
            assertExactlyOnce("CrashRecoveryIT", domain, "numbers", total);
            // The job's counters are its whole life's, not the last process's: five kills later they match.
            Api api = platform.api();
            String landing = "/api/v1/domains/" + domain + "/products/numbers/landing";
            await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                    api.get(landing, ADMIN).json().path("items").get(0).path("recordsLanded").asLong() == total);
        } finally {
            platform.close();
        }
    }
}
