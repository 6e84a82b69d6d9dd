package dev.meshplatform.app.ingestion;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.PlatformProcess;
import dev.meshplatform.app.testsupport.ProcessTestBase;
import dev.meshplatform.ingestion.api.RawTables;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two platform instances on one database, Kafka and bucket. The instance running a product's landing job freezes
 * (SIGSTOP); the other takes the job over once the lease expires; the frozen one wakes up mid-work and is refused
 * (its lease is gone, and the table's epoch fences any commit it tries). Then the new owner is killed (SIGKILL) and
 * the first takes the job back. Every event lands exactly once.
 */
class TakeoverIT extends ProcessTestBase {

    private static JsonNode landing(Api api, String domain) {
        return api.get("/api/v1/domains/" + domain + "/products/numbers/landing", ADMIN).json().path("items").get(0);
    }

    private static boolean runsOn(PlatformProcess process, String domain) {
        JsonNode status = landing(process.api(), domain);
        return status.path("owner").asString().startsWith(process.pid() + "@")
                && "RUNNING".equals(status.path("state").asString());
    }

    @Test
    void anotherInstanceTakesOverAndTheOldOwnerIsRefused() throws Exception {
        Path data = parts.dir();
        String domain = "takeover-" + UUID.randomUUID().toString().substring(0, 6);
        // The two instances start side by side; whichever gets the lease first runs the job.
        try (PlatformProcess first = new PlatformProcess("first", data.resolve("first"),
                arguments(data.resolve("first"))).launch();
             PlatformProcess second = new PlatformProcess("second", data.resolve("second"),
                     arguments(data.resolve("second"))).launch()) {
            first.awaitUp(PlatformProcess.BUSY_MACHINE_START);
            second.awaitUp(PlatformProcess.BUSY_MACHINE_START);
            publish(first.api(), domain, "numbers", 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> runsOn(first, domain) || runsOn(second, domain));
            long epoch = landing(first.api(), domain).path("epoch").asLong();
            PlatformProcess holder = runsOn(first, domain) ? first : second;
            PlatformProcess other = holder == first ? second : first;
            System.out.printf("TakeoverIT: pid %d holds the job at epoch %d%n", holder.pid(), epoch);

            long total;
            try (NumberedEvents events = new NumberedEvents(RawTables.topic(domain, "numbers", 1), 2_000)) {
                awaitMoreSent(events, 4_000);
                holder.freeze();
                await().atMost(Duration.ofSeconds(30)).until(() -> runsOn(other, domain));
                long newEpoch = landing(other.api(), domain).path("epoch").asLong();
                assertThat(newEpoch).isGreaterThan(epoch);
                System.out.printf("TakeoverIT: pid %d took over at epoch %d%n", other.pid(), newEpoch);
                awaitMoreSent(events, 4_000);

                // The frozen owner wakes up believing it still holds the job: whatever it tries is refused.
                holder.thaw();
                await().atMost(Duration.ofSeconds(30)).until(() -> holder.log().contains("lost its lease")
                        || holder.log().contains("stopped: the table's epoch is"));
                System.out.println("TakeoverIT: the old owner's log: " + holder.log().lines()
                        .filter(l -> l.contains("Landing job")).toList());

                // Now the new owner dies for good; the first instance takes the job back.
                other.kill();
                await().atMost(Duration.ofSeconds(40)).until(() -> runsOn(holder, domain));
                awaitMoreSent(events, 4_000);
                events.close();
                total = events.sent.get();
            }
            assertExactlyOnce("TakeoverIT", domain, "numbers", total);
        }
    }
}
