package dev.meshplatform.app.ingestion;

import dev.meshplatform.app.testsupport.PlatformProcess;
import dev.meshplatform.app.testsupport.ProcessTestBase;
import dev.meshplatform.ingestion.api.RawTables;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

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
                    long wait = 1_000 + random.nextInt(4_000);
                    pause(Duration.ofMillis(wait));
                    platform.kill();
                    System.out.printf("CrashRecoveryIT: kill %d after %d ms, %d events sent%n", kill, wait,
                            events.sent.get());
                    platform = new PlatformProcess("crash", data, arguments(data)).start();
                }
                pause(Duration.ofSeconds(2));
                events.close();
                total = events.sent.get();
            }
            assertExactlyOnce("CrashRecoveryIT", domain, "numbers", total);
        } finally {
            platform.close();
        }
    }
}
