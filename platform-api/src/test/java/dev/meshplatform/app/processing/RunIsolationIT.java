package dev.meshplatform.app.processing;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.PlatformIT;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs cost only their own JVM and their own domain's share: a runaway run is stopped at its time limit, a run that
 * exhausts its heap fails alone, and one domain's stuck runs do not keep another domain's run from completing.
 */
class RunIsolationIT extends PlatformIT {

    private String publish(String domain, String product, String sql, String timeLimit) {
        ObjectNode d = Api.JSON.createObjectNode().put("title", "A product of " + product);
        d.putArray("schema").addObject().put("name", "n").put("type", "long");
        ObjectNode transformation = d.putObject("transformation").put("sql", sql);
        if (timeLimit != null) {
            transformation.put("timeLimit", timeLimit);
        }
        String version = versionPath(domain, product, "1.0.0");
        Api.Response applied = api.put(version, ADMIN_KEY, DescriptorJson.governed(d));
        assertThat(applied.status()).as(applied.body()).isEqualTo(201);
        assertThat(api.post(version + "/transitions", ADMIN_KEY, Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
        return "/api/v1/domains/" + domain + "/products/" + product + "/runs";
    }

    private String trigger(String runs) {
        Api.Response queued = api.post(runs, ADMIN_KEY, Map.of());
        assertThat(queued.status()).as(queued.body()).isEqualTo(202);
        return runs + "/" + queued.json().path("id").asString();
    }

    private String state(String run) {
        return api.get(run, ADMIN_KEY).json().path("state").asString();
    }

    private JsonNode awaitEnd(String run) {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> java.util.List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(state(run)));
        return api.get(run, ADMIN_KEY).json();
    }

    @Test
    void aRunawayRunIsStoppedAtItsTimeLimit() {
        String domain = createDomain("runaway");
        // The limit counts from when the run's JVM is ready: a few seconds of a query that never ends are enough.
        String runs = publish(domain, "forever", "SELECT count(*) AS n FROM range(10000000000000)", "PT5S");
        JsonNode run = awaitEnd(trigger(runs));
        assertThat(run.path("state").asString()).isEqualTo("FAILED");
        assertThat(run.path("error").asString()).isEqualTo("the run reached its time limit of 5s and was stopped");
        assertThat(run.path("published").asBoolean()).isFalse();
    }

    @Test
    void oneDomainsStuckRunsDoNotStarveAnotherDomain() {
        String stuck = createDomain("stuck");
        String first = trigger(publish(stuck, "forever-a", "SELECT count(*) AS n FROM range(10000000000000)", null));
        String second = trigger(publish(stuck, "forever-b", "SELECT count(*) AS n FROM range(10000000000000)", null));
        await().atMost(Duration.ofMinutes(3)).until(() -> state(first).equals("RUNNING"));

        String other = createDomain("other");
        String healthy = trigger(publish(other, "quick", "SELECT count(*) AS n FROM range(100)", null));
        JsonNode done = awaitEnd(healthy);
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        // Meanwhile the stuck domain's first run still runs and its second waits for the domain's one run slot.
        assertThat(state(first)).isEqualTo("RUNNING");
        assertThat(state(second)).isEqualTo("QUEUED");

        api.post(second + "/cancel", ADMIN_KEY, Map.of());
        api.post(first + "/cancel", ADMIN_KEY, Map.of());
        assertThat(awaitEnd(second).path("error").asString()).isEqualTo("cancelled before it started");
        JsonNode cancelled = awaitEnd(first);
        assertThat(cancelled.path("state").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void aRunThatExhaustsItsHeapFailsAloneAndTheNextRunWorks() {
        String domain = createDomain("greedy");
        // 400 million ints in one array: more than a run JVM's 512 MB heap in the tests.
        String runs = publish(domain, "huge", "SELECT CAST(size(sequence(1, 400000000)) AS BIGINT) AS n", null);
        JsonNode run = awaitEnd(trigger(runs));
        assertThat(run.path("state").asString()).isEqualTo("FAILED");
        assertThat(run.path("error").asString()).startsWith("the run's JVM ran out of memory (heap 512m)")
                .contains("OutOfMemoryError");
        assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);

        String next = publish(domain, "small", "SELECT count(*) AS n FROM range(10)", null);
        JsonNode ok = awaitEnd(trigger(next));
        assertThat(ok.path("state").asString()).as(ok.toString()).isEqualTo("SUCCEEDED");
        assertThat(ok.path("rowsWritten").asLong()).isEqualTo(1);
    }
}
