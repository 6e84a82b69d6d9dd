package dev.meshplatform.app.ingestion;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.ExternalParts;
import dev.meshplatform.app.testsupport.PlatformProcess;
import dev.meshplatform.ingestion.api.RawTables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two platform instances on one database, Kafka and bucket. The instance running a product's landing job freezes
 * (SIGSTOP); the other takes the job over once the lease expires; the frozen one wakes up mid-work and its late
 * commit is refused by the fence. Then the new owner is killed (SIGKILL) and the first takes the job back. Every
 * event lands exactly once.
 */
class TakeoverIT {

    static ExternalParts parts;

    @BeforeAll
    static void parts() {
        parts = new ExternalParts();
    }

    @AfterAll
    static void stop() {
        parts.close();
    }

    private static JsonNode landing(Api api, String domain) {
        return api.get("/api/v1/domains/" + domain + "/products/numbers/landing", CrashRecoveryIT.ADMIN).json().get(0);
    }

    @Test
    void anotherInstanceTakesOverAndTheOldOwnersLateCommitIsRefused() throws Exception {
        CrashRecoveryIT.parts = parts;
        Path data = parts.dir();
        String domain = "takeover-" + UUID.randomUUID().toString().substring(0, 6);
        try (PlatformProcess first = new PlatformProcess("first", data.resolve("first"),
                CrashRecoveryIT.arguments(data.resolve("first"))).start();
             PlatformProcess second = new PlatformProcess("second", data.resolve("second"),
                     CrashRecoveryIT.arguments(data.resolve("second"))).start()) {
            CrashRecoveryIT.publish(first.api(), domain, "numbers", 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(landing(first.api(), domain)
                    .path("state").asString()));
            String owner = landing(first.api(), domain).path("owner").asString();
            long epoch = landing(first.api(), domain).path("epoch").asLong();
            PlatformProcess holder = owner.startsWith(first.pid() + "@") ? first : second;
            PlatformProcess other = holder == first ? second : first;
            System.out.printf("TakeoverIT: %s (pid %d) holds the job at epoch %d%n", owner, holder.pid(), epoch);

            long total;
            try (CrashRecoveryIT.NumberedEvents events = new CrashRecoveryIT.NumberedEvents(
                    RawTables.topic(domain, "numbers", 1), 2_000)) {
                await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
                holder.freeze();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    JsonNode status = landing(other.api(), domain);
                    return status.path("owner").asString().startsWith(other.pid() + "@")
                            && "RUNNING".equals(status.path("state").asString());
                });
                long newEpoch = landing(other.api(), domain).path("epoch").asLong();
                assertThat(newEpoch).isGreaterThan(epoch);
                System.out.printf("TakeoverIT: pid %d took over at epoch %d%n", other.pid(), newEpoch);
                await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);

                // The frozen owner wakes up believing it still holds the job: whatever it tries is refused.
                holder.thaw();
                await().atMost(Duration.ofSeconds(30)).until(() -> holder.log().contains("lost its lease")
                        || holder.log().contains("stopped: the table's epoch is"));
                System.out.println("TakeoverIT: the old owner's log: " + holder.log().lines()
                        .filter(l -> l.contains("Landing job")).toList());

                // Now the new owner dies for good; the first instance takes the job back.
                other.kill();
                await().atMost(Duration.ofSeconds(40)).until(() -> {
                    JsonNode status = landing(holder.api(), domain);
                    return status.path("owner").asString().startsWith(holder.pid() + "@")
                            && "RUNNING".equals(status.path("state").asString());
                });
                await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
                events.close();
                total = events.sent.get();
            }
            try (org.apache.iceberg.jdbc.JdbcCatalog catalog = parts.catalog()) {
            RawTableRows rows = new RawTableRows(catalog, domain, "numbers");
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> rows.count() >= total);
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
            long[] counts = rows.countAndDistinct();
            System.out.printf("TakeoverIT: %d events sent, %d rows, %d distinct ids%n", total, counts[0], counts[1]);
            assertThat(counts[0]).isEqualTo(total);
            assertThat(counts[1]).isEqualTo(total);
            assertThat(counts[2]).isEqualTo(total);
            }
        }
    }
}
