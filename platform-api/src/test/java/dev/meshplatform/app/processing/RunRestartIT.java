package dev.meshplatform.app.processing;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.PlatformProcess;
import dev.meshplatform.app.testsupport.ProcessTestBase;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A platform process is killed (SIGKILL) while a run writes; after the restart, the run's record ends FAILED
 * ("interrupted"), its staging branch is gone, main is unchanged, and the product can run again.
 */
class RunRestartIT extends ProcessTestBase {

    @Test
    void aRunCutShortByACrashEndsInATrueState() {
        Path data = parts.dir().resolve("run-restart");
        List<String> args = new java.util.ArrayList<>(arguments(data));
        args.add("--mesh.processing.stale-run-after=3s");
        String domain = "restart-" + UUID.randomUUID().toString().substring(0, 6);
        PlatformProcess platform = new PlatformProcess("run-restart", data, args).start();
        try {
            Api api = platform.api();
            assertThat(api.post("/api/v1/domains", ADMIN, Map.of("name", domain, "title", "t", "ownerTeam", "t"))
                    .status()).isEqualTo(201);
            ObjectNode descriptor = dev.meshplatform.app.ingestion.IngestionITAccess.peopleDescriptor(1);
            descriptor.putObject("transformation").put("sql",
                    "SELECT r.id, r.name, r.age, r.country, r.seen_at FROM raw r, range(60000000) n "
                            + "WHERE n.id >= 0 AND rand() < 0");
            String version = "/api/v1/domains/" + domain + "/products/slow/versions/1.0.0";
            assertThat(api.put(version, ADMIN, descriptor).status()).isEqualTo(201);
            assertThat(api.post(version + "/transitions", ADMIN, Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
            String product = "/api/v1/domains/" + domain + "/products/slow";
            api.post(product + "/events", ADMIN, "[" + dev.meshplatform.app.ingestion.IngestionITAccess.event(1) + ","
                    + dev.meshplatform.app.ingestion.IngestionITAccess.event(2) + "]");
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get(product + "/landing", ADMIN).json().path("items").get(0)
                    .path("recordsLanded").asLong() == 2);

            String run = api.post(product + "/runs", ADMIN, Map.of()).json().path("id").asString();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> "writing".equals(
                    api.get(product + "/runs/" + run, ADMIN).json().path("phase").asString()));
            platform.kill();

            platform = new PlatformProcess("run-restart", data, args).start();
            Api restarted = platform.api();
            await().atMost(Duration.ofSeconds(60)).until(() -> "FAILED".equals(
                    restarted.get(product + "/runs/" + run, ADMIN).json().path("state").asString()));
            JsonNode record = restarted.get(product + "/runs/" + run, ADMIN).json();
            assertThat(record.path("error").asString()).contains("interrupted");
            assertThat(record.path("published").asBoolean()).isFalse();
            try (JdbcCatalog catalog = parts.catalog()) {
                Table table = catalog.loadTable(TableIdentifier.of(domain.replace('-', '_'), "slow_v1"));
                assertThat(table.refs().keySet()).noneMatch(ref -> ref.startsWith("run_"));
                assertThat(table.currentSnapshot().summary().getOrDefault("total-records", "0")).isEqualTo("0");
            }
            assertThat(restarted.post(product + "/runs", ADMIN, Map.of()).status()).isEqualTo(202);
        } finally {
            platform.close();
        }
    }
}
