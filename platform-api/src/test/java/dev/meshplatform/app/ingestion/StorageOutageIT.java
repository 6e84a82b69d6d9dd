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

import static org.awaitility.Awaitility.await;

/**
 * S3 goes away for some seconds while events flow: the landing job reports the failure, retries with backoff and
 * goes on from the table's offsets when S3 is back; nothing is lost and nothing lands twice.
 */
class StorageOutageIT extends ProcessTestBase {

    @Test
    void anS3OutageLosesNothing() throws Exception {
        Path data = parts.dir().resolve("outage");
        String domain = "outage-" + UUID.randomUUID().toString().substring(0, 6);
        try (PlatformProcess platform = new PlatformProcess("outage", data, arguments(data)).start()) {
            Api api = platform.api();
            publish(api, domain, "numbers", 2);
            String landing = "/api/v1/domains/" + domain + "/products/numbers/landing";
            await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(
                    api.get(landing, ADMIN).json().path("items").get(0).path("state").asString()));
            long total;
            // The S3 server is shared with the other process tests: it comes back even when this test fails.
            try (NumberedEvents events = new NumberedEvents(RawTables.topic(domain, "numbers", 1), 2_000)) {
                awaitMoreSent(events, 4_000);
                parts.stopS3();
                long stopped = System.nanoTime();
                // A request caught on a connection the stopped server leaves open waits out the S3 client's socket
                // timeout (30 s) before its retries meet the refused port: the outage shows within about a minute.
                await().atMost(Duration.ofSeconds(90)).until(() -> {
                    JsonNode status = api.get(landing, ADMIN).json().path("items").get(0);
                    return "RETRYING".equals(status.path("state").asString()) && !status.path("lastError").isNull();
                });
                System.out.printf("StorageOutageIT: RETRYING %d ms after S3 went away: %s%n",
                        Duration.ofNanos(System.nanoTime() - stopped).toMillis(),
                        api.get(landing, ADMIN).json().path("items").get(0).path("lastError").asString());
                awaitMoreSent(events, 10_000);
                parts.startS3();
                await().atMost(Duration.ofSeconds(90)).until(() -> "RUNNING".equals(
                        api.get(landing, ADMIN).json().path("items").get(0).path("state").asString()));
                awaitMoreSent(events, 4_000);
                events.close();
                total = events.sent.get();
            } finally {
                parts.startS3();
            }
            assertExactlyOnce("StorageOutageIT", domain, "numbers", total);
        }
    }
}
