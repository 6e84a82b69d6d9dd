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
 * S3 goes away for some seconds while events flow: the landing job reports the failure, retries with backoff and
 * goes on from the table's offsets when S3 is back; nothing is lost and nothing lands twice.
 */
class StorageOutageIT {

    static ExternalParts parts;

    @BeforeAll
    static void parts() {
        parts = new ExternalParts();
    }

    @AfterAll
    static void stop() {
        parts.close();
    }

    @Test
    void anS3OutageLosesNothing() throws Exception {
        CrashRecoveryIT.parts = parts;
        Path data = parts.dir().resolve("outage");
        String domain = "outage-" + UUID.randomUUID().toString().substring(0, 6);
        try (PlatformProcess platform = new PlatformProcess("outage", data, CrashRecoveryIT.arguments(data)).start()) {
            Api api = platform.api();
            CrashRecoveryIT.publish(api, domain, "numbers", 2);
            String landing = "/api/v1/domains/" + domain + "/products/numbers/landing";
            await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(
                    api.get(landing, CrashRecoveryIT.ADMIN).json().get(0).path("state").asString()));
            long total;
            try (CrashRecoveryIT.NumberedEvents events = new CrashRecoveryIT.NumberedEvents(
                    RawTables.topic(domain, "numbers", 1), 2_000)) {
                await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
                parts.stopS3();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    JsonNode status = api.get(landing, CrashRecoveryIT.ADMIN).json().get(0);
                    return "RETRYING".equals(status.path("state").asString())
                            && !status.path("lastError").isNull();
                });
                JsonNode failing = api.get(landing, CrashRecoveryIT.ADMIN).json().get(0);
                System.out.println("StorageOutageIT: while S3 is away: " + failing.path("lastError").asString());
                await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
                parts.startS3();
                await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING".equals(
                        api.get(landing, CrashRecoveryIT.ADMIN).json().get(0).path("state").asString()));
                await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
                events.close();
                total = events.sent.get();
            }
            try (org.apache.iceberg.jdbc.JdbcCatalog catalog = parts.catalog()) {
                RawTableRows rows = new RawTableRows(catalog, domain, "numbers");
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> rows.count() >= total);
                long[] counts = rows.countAndDistinct();
                System.out.printf("StorageOutageIT: %d events sent, %d rows, %d distinct ids%n", total, counts[0],
                        counts[1]);
                assertThat(counts[0]).isEqualTo(total);
                assertThat(counts[1]).isEqualTo(total);
                assertThat(counts[2]).isEqualTo(total);
            }
        }
    }
}
